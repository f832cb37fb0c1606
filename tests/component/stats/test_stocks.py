"""The county stock (ADR 0303) counts what the cohort pass counts, for periods ending today.

Hand-built status rows and spells (T = today in Shanghai, S = the period's first day), then the
roll-up's own writers for an incremental change. The pass (``tally(..., stock=False)``) is the
reference; one case is also checked against numbers worked out by hand.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from xueshi_core.scopes import Scope
from xueshi_stats import enrolments, figures, regions, rollup, stocks
from xueshi_stats.models import CountyDayStock, RegionSpell
from xueshi_stats.query import FigureQuery

from .handbuilt import EVERYONE, FUZHOU, GULOU, SIMING, TAIJIANG, spell, status

pytestmark = [pytest.mark.component, pytest.mark.django_db]


def both(scope: Scope, q: FigureQuery, column: str) -> tuple[dict[str, Any], dict[str, Any]]:
    stock = {k: f.as_dict() for k, f in figures.tally(scope, q, column).items()}
    counted = {k: f.as_dict() for k, f in figures.tally(scope, q, column, stock=False).items()}
    return stock, counted


def test_the_stock_counts_what_the_pass_counts(learners: dict[str, Any], today: date) -> None:
    t = learners["t"]
    q = FigureQuery(start=t(10), end=today)
    whole = figures.compute(EVERYONE, q)
    # by hand: 1b, 2a, 3b, 4a, 5a, 7a enrolled; 1b, 2a, 3b, 5a studied since S; 3b, 5a, 7a completed
    assert (whole.enrolled, whole.studying, whole.examined, whole.completed, whole.not_completed) == (
        6,
        4,
        5,
        3,
        3,
    )
    assert whole.average_score == 74.4 and set(whole.bands.values()) == {1}
    stock, counted = both(EVERYONE, q, "city_code")
    assert stock == counted and {k: v["enrolled"] for k, v in stock.items()} == {"350100": 5, "350200": 1}
    for start in (t(60), t(20), t(11), t(9), t(4), today):
        for scope, column, category in ((EVERYONE, "province_code", ""), (FUZHOU, "county_code", "pro")):
            q = FigureQuery(start=start, end=today + timedelta(days=3), category=category)
            stock, counted = both(scope, q, column)
            assert stock == counted, (start, column)


def test_the_roll_up_keeps_the_stock_across_changes(learners: dict[str, Any], today: date) -> None:
    t = learners["t"]
    spell(8, GULOU, "pro", date(2000, 1, 1))
    enrolments.enrolled(8, "course-v1:X+a+1", t(1))
    enrolments.unenrolled(1, "course-v1:X+b+1", today)
    regions.record(3, (*SIMING, "思明软件园", "pro"), today)  # moves with its open enrolment
    regions.record(6, (*TAIJIANG, "台江建设公司", "pro"), today)  # first known region
    regions.record(4, (*TAIJIANG, "台江建设公司", "acc"), today)  # 4b: completed before its last study
    rollup.write_exams({(4, "course-v1:X+a+1"): [(datetime.now(UTC), 90)]})  # completes today
    rollup.write_days({(2, "course-v1:X+a+1", today): (60_000, 1), (8, "course-v1:X+a+1", t(1)): (60_000, 1)})
    assert stocks.differences() == []
    assert both(EVERYONE, FigureQuery(start=t(10), end=today), "city_code")[0]["350200"]["enrolled"] == 2
    for start in (t(10), t(3), today):
        stock, counted = both(EVERYONE, FigureQuery(start=start, end=today), "county_code")
        assert stock == counted
    CountyDayStock.objects.filter(county_code="350203").update(enrolled=0)  # a drifted stock is reported
    assert any(line.startswith("stock ('350000', '350200', '350203'") for line in stocks.differences())


def test_a_period_that_ended_is_counted_by_the_pass(
    learners: dict[str, Any], today: date, monkeypatch: pytest.MonkeyPatch
) -> None:
    t = learners["t"]
    monkeypatch.setattr(stocks, "counts", lambda *a: pytest.fail("the stock cannot count a past period"))
    q = FigureQuery(start=t(10), end=t(3))
    past = figures.compute(EVERYONE, q)
    assert (past.enrolled, past.completed) == (7, 2)  # 3a still open on T-3; 5a completed only on T


def test_a_learner_page_totals_from_the_stock_and_a_county_splits_by_employer(
    learners: dict[str, Any], today: date
) -> None:
    """ADR 0307: the page's total is the figure (no count of the cohort); employers added per learner."""
    from xueshi_stats import lists

    t = learners["t"]
    RegionSpell.objects.filter(user_id=4).update(employer="鼓楼医院")
    gulou = Scope(regions=("350102",))
    for q in (FigureQuery(start=t(10), end=today), FigureQuery(start=t(40), end=today, category="pro")):
        for figure in ("enrolled", "studying", "examined", "completed", "not_completed"):
            rows = lists.figure_rows(EVERYONE, q, figure)
            assert lists.figure_total(EVERYONE, q, figure, rows) == rows.count(), (q, figure)
        parts = figures.tally(gulou, q, "employer")
        assert figures.total(parts).as_dict() == figures.tally(gulou, q, "", stock=False)[""].as_dict()
    parts = figures.tally(gulou, FigureQuery(start=t(10), end=today), "employer")
    # 1b and 7a (单位), 4a (鼓楼医院; its 4b completed before S); 3b, also 单位
    assert {k: (f.enrolled, f.examined) for k, f in parts.items()} == {"单位": (3, 2), "鼓楼医院": (1, 1)}


def test_a_county_page_walks_its_learners_in_order(
    learners: dict[str, Any], today: date, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ADR 0307: a county's page, walked two learners at a time, is the ``OFFSET`` page."""
    from xueshi_stats import lists

    monkeypatch.setattr(lists, "WALK_BATCH", 2)
    spell(9, GULOU, "pro", date(2000, 1, 1))  # no enrolment: in the walk, no rows
    status(9, "a", enrolled_on=learners["t"](400), completed_on=learners["t"](300))
    gulou = Scope(regions=("350102",))
    q = FigureQuery(start=learners["t"](60), end=today)
    for figure in ("enrolled", "completed"):
        rows = lists.figure_rows(gulou, q, figure).order_by("user_id", "course_key")
        every = [(r.user_id, r.course_key) for r in rows]
        assert len(every) >= 4
        for size in (1, 2, 3):
            for page in range(1, len(every) // size + 3):
                walked = lists.page_of(gulou, q, figure, rows, page, size)
                assert [(r.user_id, r.course_key) for r in walked] == every[(page - 1) * size : page * size]
