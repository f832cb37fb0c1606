"""The rule file format (``xueshi-hours-rule/1``): parse, validate, and write back; no Django.

A rule set is data an operator edits, so every mistake in a file is reported with its place
(``rules[2].category_minimums.professional: not a number``) instead of failing later. The format
is documented in docs/operators/hours-rules.md; ``Rule.to_json`` and ``parse_rule`` round-trip.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from .data import COURSE_CATEGORIES, UNITS

FORMAT = "xueshi-hours-rule/1"
ONLINE_MODES = ("video_minutes", "course_completion")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
_REGION = re.compile(r"^\d{6}$")
_MONTH_DAY = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
_CATEGORY_CODE = re.compile(r"^[a-z0-9_-]{1,40}$")
MAX_UNITS = Decimal("10000")


class RuleFileError(ValueError):
    """The file is not a valid rule file: ``problems`` lists every mistake with its place."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class RequiredRound:
    """A numbered round (工勤 rounds): one of ``courses`` completed with an exam score of ``min_score``."""

    key: str
    title: str
    courses: tuple[str, ...]
    min_score: int = 60


@dataclass(frozen=True)
class Rule:
    """One version's content of a rule set; the database row adds the version number."""

    id: str
    title: str
    title_en: str
    region: str  # "000000" = national
    category: str  # personnel category code (xueshi_identity)
    unit: str
    period_kind: str  # "calendar_year" | "window"
    window_start: str  # "MM-DD" for windows, "01-01" for calendar years
    due: str  # "MM-DD" in the year after the period starts ("" = the period's last day)
    required_total: Decimal
    category_minimums: dict[str, Decimal]
    minutes_per_unit: int
    online_counting: str
    daily_cap_units: Decimal | None = None
    carry_over_max: Decimal = Decimal("0")
    external_counts: bool = True
    external_max: Decimal | None = None
    exam_counts: bool = False
    exam_units_per_pass: Decimal = Decimal("0")
    required_rounds: tuple[RequiredRound, ...] = ()
    effective_from: int = 2000
    effective_to: int | None = None
    source: dict[str, str] = field(default_factory=dict)

    @property
    def region_prefix(self) -> str:
        """The code prefix the rule covers: ``620000`` → ``62``, ``140700`` → ``1407``, national → ``""``."""
        if self.region == "000000":
            return ""
        if self.region.endswith("0000"):
            return self.region[:2]
        return self.region[:4] if self.region.endswith("00") else self.region

    def to_json(self) -> dict[str, Any]:
        """The rule as its file form (decimals as strings, so a file never rounds)."""
        return {
            "id": self.id,
            "title": self.title,
            "title_en": self.title_en,
            "region": self.region,
            "category": self.category,
            "unit": self.unit,
            "period": {"kind": self.period_kind, "start": self.window_start, "due": self.due},
            "effective": {"from": self.effective_from, "to": self.effective_to},
            "required_total": str(self.required_total),
            "category_minimums": {k: str(v) for k, v in self.category_minimums.items()},
            "online": {"minutes_per_unit": self.minutes_per_unit, "counting": self.online_counting},
            "daily_cap_units": None if self.daily_cap_units is None else str(self.daily_cap_units),
            "carry_over": {"max_units": str(self.carry_over_max)},
            "sources": {
                "external": {
                    "counts": self.external_counts,
                    "max_units": None if self.external_max is None else str(self.external_max),
                },
                "exam": {"counts": self.exam_counts, "units_per_pass": str(self.exam_units_per_pass)},
            },
            "required_rounds": [
                {"key": r.key, "title": r.title, "courses": list(r.courses), "min_score": r.min_score}
                for r in self.required_rounds
            ],
            "source": dict(self.source),
        }


class _Reader:
    """Reads one rule object, collecting problems with their place instead of stopping at the first."""

    def __init__(self, body: dict[str, Any], where: str) -> None:
        self.body, self.where, self.problems = body, where, []  # type: ignore[var-annotated]

    def fail(self, path: str, message: str) -> None:
        self.problems.append(f"{self.where}{path}: {message}")

    def get(self, path: str, default: Any = None) -> Any:
        node: Any = self.body
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return node

    def text(self, path: str, default: str | None = None, pattern: re.Pattern[str] | None = None) -> str:
        value = self.get(path, default)
        if value is None:
            self.fail(path, "required")
            return ""
        if not isinstance(value, str) or (pattern is not None and not pattern.match(value)):
            self.fail(path, f"invalid value {value!r}")
            return ""
        return value

    def units(self, path: str, default: Any = None, *, optional: bool = False) -> Decimal | None:
        value = self.get(path, default)
        if value is None:
            if not optional:
                self.fail(path, "required")
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            self.fail(path, 'write numbers as strings or integers, e.g. "90" or "0.5"')
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.fail(path, f"not a number: {value!r}")
            return None
        if not number.is_finite() or number < 0 or number > MAX_UNITS:
            self.fail(path, f"must be between 0 and {MAX_UNITS}")
            return None
        return number

    def integer(self, path: str, default: Any, low: int, high: int) -> int:
        value = self.get(path, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(path, f"must be a whole number from {low} to {high}")
            return low
        return value

    def flag(self, path: str, default: bool) -> bool:
        value = self.get(path, default)
        if not isinstance(value, bool):
            self.fail(path, "must be true or false")
            return default
        return value


def _rounds(reader: _Reader) -> tuple[RequiredRound, ...]:
    raw = reader.get("required_rounds", [])
    if not isinstance(raw, list):
        reader.fail("required_rounds", "must be a list")
        return ()
    rounds = []
    for i, item in enumerate(raw):
        sub = _Reader(item if isinstance(item, dict) else {}, f"{reader.where}required_rounds[{i}].")
        key = sub.text("key", pattern=_ID)
        courses = sub.get("courses", [])
        if not isinstance(courses, list) or not courses or not all(isinstance(c, str) and c for c in courses):
            sub.fail("courses", "a non-empty list of course keys")
            courses = []
        rounds.append(
            RequiredRound(key, sub.text("title", key), tuple(courses), sub.integer("min_score", 60, 0, 100))
        )
        reader.problems.extend(sub.problems)
    return tuple(rounds)


def parse_rule(body: Any, where: str = "") -> Rule:
    """One rule object → ``Rule``; raises ``RuleFileError`` listing every problem."""
    if not isinstance(body, dict):
        raise RuleFileError([f"{where or 'rule'}: must be an object"])
    r = _Reader(body, where)
    kind = r.text("period.kind", "calendar_year")
    if kind not in ("calendar_year", "window"):
        r.fail("period.kind", "must be calendar_year or window")
    start = r.text("period.start", "01-01", _MONTH_DAY)
    if kind == "calendar_year" and start not in ("", "01-01"):
        r.fail("period.start", "a calendar year starts on 01-01")
    due = r.get("period.due") or ""
    if due and not (isinstance(due, str) and _MONTH_DAY.match(due)):
        r.fail("period.due", f"invalid value {due!r} (MM-DD)")
    minimums_raw = r.get("category_minimums", {})
    minimums: dict[str, Decimal] = {}
    if not isinstance(minimums_raw, dict):
        r.fail("category_minimums", "must be an object")
    else:
        for key in minimums_raw:
            if key not in COURSE_CATEGORIES:
                known = ", ".join(COURSE_CATEGORIES)
                r.fail(f"category_minimums.{key}", f"unknown course category (use {known})")
            number = r.units(f"category_minimums.{key}")
            if number is not None:
                minimums[key] = number
    total = r.units("required_total") or Decimal("0")
    if sum(minimums.values(), Decimal("0")) > total:
        r.fail("category_minimums", "the minimums add up to more than required_total")
    counting = r.text("online.counting", "video_minutes")
    if counting not in ONLINE_MODES:
        r.fail("online.counting", f"must be one of {', '.join(ONLINE_MODES)}")
    unit = r.text("unit")
    if unit and unit not in UNITS:
        r.fail("unit", f"must be one of {', '.join(UNITS)}")
    cap = r.units("daily_cap_units", optional=True)
    if cap is not None and cap == 0:
        r.fail("daily_cap_units", "use null for no cap (0 would refuse every minute)")
    effective_to = r.get("effective.to")
    if effective_to is not None:
        effective_to = r.integer("effective.to", effective_to, 2000, 2100)
    source = r.get("source", {})
    if not isinstance(source, dict) or not all(isinstance(v, str) for v in source.values()):
        r.fail("source", "an object of strings (doc, url, confidence, checked)")
        source = {}
    rule = Rule(
        id=r.text("id", pattern=_ID),
        title=r.text("title"),
        title_en=r.text("title_en", ""),
        region=r.text("region", pattern=_REGION),
        category=r.text("category", pattern=_CATEGORY_CODE),
        unit=unit,
        period_kind=kind,
        window_start=start or "01-01",
        due=due if isinstance(due, str) else "",
        required_total=total,
        category_minimums=minimums,
        minutes_per_unit=r.integer("online.minutes_per_unit", 45, 1, 600),
        online_counting=counting,
        daily_cap_units=cap,
        carry_over_max=r.units("carry_over.max_units", "0") or Decimal("0"),
        external_counts=r.flag("sources.external.counts", True),
        external_max=r.units("sources.external.max_units", optional=True),
        exam_counts=r.flag("sources.exam.counts", False),
        exam_units_per_pass=r.units("sources.exam.units_per_pass", "0") or Decimal("0"),
        required_rounds=_rounds(r),
        effective_from=r.integer("effective.from", 2000, 2000, 2100),
        effective_to=effective_to,
        source=dict(source),
    )
    if r.problems:
        raise RuleFileError(r.problems)
    return rule


def parse_file(document: Any) -> list[Rule]:
    """A whole file: ``{"format": FORMAT, "rules": [...]}``; every rule's problems are reported together."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise RuleFileError([f'format: the file must be an object with "format": "{FORMAT}"'])
    items = document.get("rules")
    if not isinstance(items, list) or not items:
        raise RuleFileError(["rules: a non-empty list of rule objects"])
    rules, problems = [], []
    for i, item in enumerate(items):
        try:
            rules.append(parse_rule(item, f"rules[{i}]."))
        except RuleFileError as exc:
            problems.extend(exc.problems)
    ids = [rule.id for rule in rules]
    problems.extend(f"rules: id {i!r} appears twice" for i in sorted({i for i in ids if ids.count(i) > 1}))
    if problems:
        raise RuleFileError(problems)
    return rules


def file_of(rules: list[Rule]) -> dict[str, Any]:
    """The file form of rules (what export writes and import reads)."""
    return {"format": FORMAT, "rules": [rule.to_json() for rule in rules]}
