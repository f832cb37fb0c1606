"""Rule evaluation tables: conversion and rounding, category minimums, caps, periods, carry-over, rounds."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from xueshi_hours import data as d
from xueshi_hours.evaluate import Learner, SourceItem, evaluate, to_units
from xueshi_hours.periods import period, period_holding
from xueshi_hours.rules import parse_file

RULES = Path(__file__).resolve().parents[3] / "plugins" / "xueshi_hours" / "rulefiles"
ZJ = parse_file(json.loads((RULES / "cn-zj-2015.json").read_text()))[0]
GS = parse_file(json.loads((RULES / "gs-kj.json").read_text()))[0]
HI = parse_file(json.loads((RULES / "hi-kj.json").read_text()))[0]
FJ = parse_file(json.loads((RULES / "fj-gq.json").read_text()))[0]
ME = Learner(user_id=7, category="professional_technical", region="350102")
Y2026 = period(ZJ, 2026)


def video(
    day: str, minutes: str, course: str = "c1", category: str = "professional", **kw: object
) -> SourceItem:
    return SourceItem(
        d.VIDEO,
        course,
        course,
        category,
        date.fromisoformat(day),
        Decimal(minutes),
        course_key=course,
        **kw,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("minutes", "per_unit", "units"),
    [
        ("45", 45, "1.00"),
        ("44.99", 45, "0.99"),  # rounded down: never a hundredth nobody studied
        ("0.5", 45, "0.01"),
        ("0.4", 45, "0.00"),
        ("90", 45, "2.00"),
        ("100", 50, "2.00"),
        ("4050", 45, "90.00"),
    ],
)
def test_minutes_become_units_rounded_down_to_a_hundredth(minutes: str, per_unit: int, units: str) -> None:
    assert to_units(Decimal(minutes), per_unit) == Decimal(units)


def test_totals_are_exact_sums_of_lines_not_a_rounded_total() -> None:
    items = [video(f"2026-03-{day:02d}", "10") for day in range(1, 28)]  # 27 × 0.22
    account = evaluate(ZJ, 1, ME, Y2026, items)
    assert account.earned_total == Decimal("5.94")  # 27 × 0.22, not 270/45 = 6.00
    assert all(line.hours == Decimal("0.22") and line.reason == d.COUNTED for line in account.lines)


@pytest.mark.parametrize(
    ("professional", "public", "met", "missing"),
    [
        ("2700", "1350", True, ()),  # 60 + 30 = 90, 专业 ≥ 2/3
        ("2655", "1395", False, ("category:professional:1.00",)),  # 59 + 31: total met, 专业 short
        ("4050", "0", True, ()),  # national: no 公需 minimum
        ("2700", "1305", False, ("total:1.00",)),  # 60 + 29 = 89
    ],
)
def test_national_professional_share(
    professional: str, public: str, met: bool, missing: tuple[str, ...]
) -> None:
    items = [video("2026-05-01", professional), video("2026-05-02", public, "c2", "public")]
    account = evaluate(ZJ, 1, ME, Y2026, items)
    assert (account.met, account.missing) == (met, missing)


def test_gansu_needs_thirty_public_and_sixty_professional() -> None:
    learner = Learner(1, "accounting", "620102")
    items = [video("2026-05-01", "4050", "c1", "professional")]  # 90 professional, 0 public
    account = evaluate(GS, 1, learner, period(GS, 2026), items)
    assert not account.met and account.missing == ("category:public:30",)
    assert account.unit == "xuefen"


def test_a_daily_cap_counts_what_fits_and_says_why_for_the_rest() -> None:
    capped = replace(ZJ, daily_cap_units=Decimal("10"))
    items = [video("2026-06-01", "360", "a"), video("2026-06-01", "180", "b"), video("2026-06-01", "45", "c")]
    items.append(video("2026-06-02", "45", "a"))
    lines = {(str(x.day), x.ref): (x.hours, x.reason) for x in evaluate(capped, 1, ME, Y2026, items).lines}
    assert lines[("2026-06-01", "a")] == (Decimal("8.00"), d.COUNTED)
    assert lines[("2026-06-01", "b")] == (Decimal("2.00"), d.DAILY_CAP + "_partly")
    assert lines[("2026-06-01", "c")] == (Decimal("0"), d.DAILY_CAP)
    assert lines[("2026-06-02", "a")] == (Decimal("1.00"), d.COUNTED)  # a new day, a new allowance


def test_no_cap_by_default() -> None:
    account = evaluate(ZJ, 1, ME, Y2026, [video("2026-06-01", "4500")])
    assert account.earned_total == Decimal("100.00")


@pytest.mark.parametrize(
    ("item", "reason"),
    [
        (video("2026-01-01", "45", counts_for_categories=("accounting",)), d.WRONG_CATEGORY),
        (video("2026-01-01", "45", counts_for_regions=("110000",)), d.NOT_IN_RULE_REGION),
        (video("2026-01-01", "45", counts_for_regions=("350000",)), d.COUNTED),  # province covers county
        (video("2026-01-01", "45", counts_for_regions=("350100",)), d.COUNTED),
        (video("2026-01-01", "45", counts_for_regions=("350200",)), d.NOT_IN_RULE_REGION),
    ],
)
def test_courses_count_only_where_and_for_whom_they_are_meant(item: SourceItem, reason: str) -> None:
    assert evaluate(ZJ, 1, ME, Y2026, [item]).lines[0].reason == reason


def test_completion_counts_only_when_the_rule_counts_completions() -> None:
    done = SourceItem(
        d.COMPLETION, "c1", "c1", "professional", date(2026, 4, 1), Decimal(8), "c1", Decimal(8)
    )
    open_ = replace(done, ref="c2", course_key="c2", completed=False, day=None)
    by_completion = replace(ZJ, online_counting="course_completion")
    lines = evaluate(by_completion, 1, ME, Y2026, [done, open_]).lines
    assert {x.ref: (x.hours, x.reason) for x in lines} == {
        "c1": (Decimal(8), d.COUNTED),
        "c2": (Decimal(0), d.NOT_COMPLETED),
    }
    assert evaluate(ZJ, 1, ME, Y2026, [done]).lines[0].reason == d.NOT_COUNTED_BY_RULE  # video rule


def test_external_hours_respect_the_rule_and_its_limit() -> None:
    ext = SourceItem(
        d.EXTERNAL, "external:1", "会议", "public", date(2026, 2, 1), Decimal(12), units=Decimal(12)
    )
    limited = replace(ZJ, external_max=Decimal(10))
    assert [(x.hours, x.reason) for x in evaluate(limited, 1, ME, Y2026, [ext]).lines] == [
        (Decimal(10), d.SOURCE_CAP_PARTLY)
    ]
    refused = replace(ZJ, external_counts=False)
    assert evaluate(refused, 1, ME, Y2026, [ext]).lines[0].reason == d.NOT_COUNTED_BY_RULE


@pytest.mark.parametrize(
    ("day", "year"),
    [("2025-12-31", 2025), ("2026-01-01", 2026), ("2026-12-31", 2026)],
)
def test_calendar_years(day: str, year: int) -> None:
    assert period_holding(ZJ, date.fromisoformat(day)).year == year


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        ("2022-09-01", "2022-09-01", "2023-08-31"),
        ("2023-08-31", "2022-09-01", "2023-08-31"),
        ("2023-01-15", "2022-09-01", "2023-08-31"),
        ("2023-09-01", "2023-09-01", "2024-08-31"),
    ],
)
def test_hainan_window_runs_september_to_august(day: str, start: str, end: str) -> None:
    p = period_holding(HI, date.fromisoformat(day))
    assert (p.start.isoformat(), p.end.isoformat()) == (start, end)
    assert p.label == f"{start}~{end}"


def test_items_outside_the_period_are_left_out() -> None:
    account = evaluate(ZJ, 1, ME, Y2026, [video("2025-12-31", "45"), video("2026-01-01", "45")])
    assert [str(x.day) for x in account.lines] == ["2026-01-01"]


def test_due_date_in_the_next_year() -> None:
    jz = parse_file(json.loads((RULES / "sx-kj-jz.json").read_text()))[0]
    assert period(jz, 2022).due == date(2023, 5, 31)
    assert period(ZJ, 2026).due == date(2026, 12, 31)


@pytest.mark.parametrize(
    ("carry_in", "cap", "earned"), [("20", "0", "80.00"), ("20", "10", "90.00"), ("5", "10", "85.00")]
)
def test_carry_over_is_none_by_default_and_capped(carry_in: str, cap: str, earned: str) -> None:
    rule = replace(ZJ, carry_over_max=Decimal(cap))
    account = evaluate(rule, 1, ME, Y2026, [video("2026-03-01", "3600")], carry_in=Decimal(carry_in))
    assert account.earned_total == Decimal(earned)


def test_required_round_needs_completion_and_a_passing_test() -> None:
    learner = Learner(3, "worker_skill", "350102")
    course = FJ.required_rounds[0].courses[0]
    done = SourceItem(d.COMPLETION, course, "R", "", date(2023, 5, 1), Decimal(0), course, completed=True)
    exam = SourceItem(d.EXAM, "u1", "R", "", date(2023, 5, 2), Decimal(55), course, passed=False)
    p = period(FJ, 2023)
    assert evaluate(FJ, 1, learner, p, [done, exam]).missing == ("round:fj-gq-2023",)
    assert evaluate(FJ, 1, learner, p, [done, replace(exam, raw=Decimal(60))]).met
    assert not evaluate(
        FJ, 1, learner, p, [replace(done, completed=False), replace(exam, raw=Decimal(90))]
    ).met
