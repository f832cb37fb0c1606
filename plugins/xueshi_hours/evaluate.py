"""Rule evaluation: source items + a rule version → an hour account; pure (no Django, no I/O).

Rounding (ADR 0111): each line's units are ``Decimal`` quantized to 0.01 with ``ROUND_DOWN``, so
rounding never grants a hundredth nobody studied; totals are exact sums of the lines, and what a
rule requires is compared with those sums. Video minutes become units per (course, China day);
the daily cap, when a rule sets one, is applied across courses day by day in course-key order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

from . import data as d
from .periods import Period
from .rules import Rule

CENT = Decimal("0.01")
ZERO = Decimal("0")


@dataclass(slots=True)
class SourceItem:
    """One fact from server records, before the rule decides what it is worth.

    Not frozen: a year is thousands of items and a frozen dataclass pays ``object.__setattr__``
    per field (a tenth of an account's CPU, ADR 0180); nothing mutates or hashes them.
    """

    source: str
    ref: str
    title: str
    category: str  # course category: "public" | "professional" | ""
    day: date | None
    #: minutes (video), declared hours (completion, external), score percent (exam), answers (practice)
    raw: Decimal
    course_key: str = ""
    units: Decimal = ZERO  # declared or approved units (completion, external)
    counts_for_categories: tuple[str, ...] = ()
    counts_for_regions: tuple[str, ...] = ()
    completed: bool = True
    passed: bool = True


@dataclass(frozen=True)
class Learner:
    """Who the account is for: their personnel category and most specific region code."""

    user_id: int
    category: str
    region: str


def to_units(minutes: Decimal, minutes_per_unit: int) -> Decimal:
    """Minutes → units, 0.01 rounded down."""
    return (minutes / Decimal(minutes_per_unit)).quantize(CENT, rounding=ROUND_DOWN)


def _region_prefix(code: str) -> str:
    if code.endswith("0000"):
        return code[:2]
    return code[:4] if code.endswith("00") else code


def _eligibility(item: SourceItem, learner: Learner) -> str:
    if item.counts_for_regions and not any(
        learner.region.startswith(_region_prefix(code)) for code in item.counts_for_regions
    ):
        return d.NOT_IN_RULE_REGION
    if item.counts_for_categories and learner.category not in item.counts_for_categories:
        return d.WRONG_CATEGORY
    return d.COUNTED


def _candidate(item: SourceItem, rule: Rule) -> tuple[Decimal, str]:
    """What the item would earn under the rule before caps, and why not if nothing."""
    if item.source == d.VIDEO:
        if rule.online_counting != "video_minutes":
            return ZERO, d.NOT_COUNTED_BY_RULE
        return to_units(item.raw, rule.minutes_per_unit), d.COUNTED
    if item.source == d.COMPLETION:
        if rule.online_counting != "course_completion":
            return ZERO, d.NOT_COUNTED_BY_RULE
        return (item.units, d.COUNTED) if item.completed else (ZERO, d.NOT_COMPLETED)
    if item.source == d.EXAM:
        if not item.passed:
            return ZERO, d.NOT_PASSED
        if not rule.exam_counts or not rule.exam_units_per_pass:
            return ZERO, d.NOT_COUNTED_BY_RULE
        return rule.exam_units_per_pass, d.COUNTED
    if item.source == d.EXTERNAL:
        return (item.units, d.COUNTED) if rule.external_counts else (ZERO, d.NOT_COUNTED_BY_RULE)
    return ZERO, d.NOT_COUNTED_BY_RULE  # practice: shown, never counted


class _Cap:
    """A running allowance (per day, per source): takes what fits and says whether it cut."""

    def __init__(self, limit: Decimal | None) -> None:
        self.limit, self.used = limit, ZERO

    def take(self, units: Decimal, cut_reason: str) -> tuple[Decimal, str]:
        if self.limit is None:
            return units, d.COUNTED
        room = max(self.limit - self.used, ZERO)
        granted = min(units, room)
        self.used += granted
        if granted == units:
            return units, d.COUNTED
        return granted, (cut_reason if granted == 0 else d.PARTLY_CAPPED)


def _order(item: SourceItem) -> tuple[date, str, str]:
    return (item.day or date.min, item.source, item.ref)


def count_lines(rule: Rule, learner: Learner, items: Iterable[SourceItem]) -> list[d.HourLine]:
    """Every item in the period as a line with the units it counts for and the reason."""
    daily: dict[date | None, _Cap] = defaultdict(lambda: _Cap(rule.daily_cap_units))
    external = _Cap(rule.external_max)
    # Video minutes repeat (a year of a learner has a few hundred distinct daily figures among
    # thousands of lines): each distinct figure is divided and quantized once (ADR 0180).
    video_units: dict[Decimal, Decimal] = {}
    lines = []
    for item in sorted(items, key=_order):
        units, reason = ZERO, _eligibility(item, learner)
        if reason == d.COUNTED and item.source == d.VIDEO and rule.online_counting == "video_minutes":
            known = video_units.get(item.raw)
            if known is None:
                known = video_units[item.raw] = to_units(item.raw, rule.minutes_per_unit)
            units = known
        elif reason == d.COUNTED:
            units, reason = _candidate(item, rule)
        if reason == d.COUNTED and item.source == d.VIDEO:
            units, reason = daily[item.day].take(units, d.DAILY_CAP)
        elif reason == d.COUNTED and item.source == d.EXTERNAL:
            units, reason = external.take(units, d.SOURCE_CAP)
        if reason == d.PARTLY_CAPPED and item.source == d.EXTERNAL:
            reason = d.SOURCE_CAP_PARTLY
        lines.append(
            d.HourLine(item.source, item.ref, item.title, item.category, item.day, item.raw, units, reason)
        )
    return lines


def _rounds_missing(rule: Rule, items: list[SourceItem]) -> list[str]:
    completed = {i.course_key for i in items if i.source == d.COMPLETION and i.completed}
    best: dict[str, Decimal] = {}
    for item in items:
        if item.source == d.EXAM:
            best[item.course_key] = max(best.get(item.course_key, ZERO), item.raw)
    return [
        f"round:{r.key}"
        for r in rule.required_rounds
        if not any(c in completed and best.get(c, ZERO) >= r.min_score for c in r.courses)
    ]


def evaluate(
    rule: Rule,
    version: int,
    learner: Learner,
    period: Period,
    items: Iterable[SourceItem],
    carry_in: Decimal = ZERO,
) -> d.HourAccount:
    """The account of ``learner`` for ``period``: items outside the period are left out."""
    inside = [i for i in items if i.day is None or period.holds(i.day)]
    lines = count_lines(rule, learner, inside)
    carried = min(max(carry_in, ZERO), rule.carry_over_max)
    if carried > 0:
        previous = str(period.year - 1)
        lines.append(d.HourLine(d.CARRY_OVER, previous, "", "", period.start, carry_in, carried, d.COUNTED))
    by_category: dict[str, Decimal] = dict.fromkeys(d.COURSE_CATEGORIES, ZERO)
    total = ZERO
    for line in lines:
        total += line.hours
        if line.category:
            by_category[line.category] = by_category.get(line.category, ZERO) + line.hours
    missing = []
    if total < rule.required_total:
        missing.append(f"total:{rule.required_total - total}")
    for category, minimum in rule.category_minimums.items():
        if by_category.get(category, ZERO) < minimum:
            missing.append(f"category:{category}:{minimum - by_category.get(category, ZERO)}")
    missing.extend(_rounds_missing(rule, inside))
    return d.HourAccount(
        user_id=learner.user_id,
        period_label=period.label,
        period_start=period.start,
        period_end=period.end,
        rule_id=rule.id,
        rule_version=version,
        rule_title=rule.title,
        unit=rule.unit,
        required_total=rule.required_total,
        required_by_category=dict(rule.category_minimums),
        earned_total=total,
        earned_by_category=by_category,
        met=not missing,
        missing=tuple(missing),
        lines=tuple(lines),
    )


def surplus(account: d.HourAccount) -> Decimal:
    """Units earned beyond the requirement: what a rule with carry-over may move to the next period."""
    return max(account.earned_total - account.required_total, ZERO)
