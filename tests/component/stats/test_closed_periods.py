"""Ended periods counted once they closed (ADR 0304) answer what the cohort pass answers.

The hand-built learners of ``test_stocks`` (T = today in Shanghai). A period that ended before T
is counted by ``closing``; afterwards ``figures.tally`` reads those counts (proved by changing
the status rows underneath: the pass moves, the closed counts do not), for every scope, level and
category, and the beat's choice of periods follows the calendar, the retention and the settle delay.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from xueshi_core.scopes import Scope
from xueshi_stats import closing, figures
from xueshi_stats.models import ClosedPeriod, ClosedPeriodCounts, CourseStatus
from xueshi_stats.query import FigureQuery

from .handbuilt import EVERYONE, FUZHOU

pytestmark = [pytest.mark.component, pytest.mark.django_db]
XIAMEN = Scope(regions=("350200",))
ASKED = (
    (EVERYONE, "", ""),
    (EVERYONE, "province_code", ""),
    (EVERYONE, "city_code", "pro"),
    (FUZHOU, "county_code", ""),
    (FUZHOU, "county_code", "acc"),
    (XIAMEN, "county_code", ""),
)


def shown(q: FigureQuery, scope: Scope, column: str, stock: bool = True) -> dict[str, Any]:
    return {k: f.as_dict() for k, f in figures.tally(scope, q, column, stock=stock).items()}


def test_a_closed_period_reads_its_counts_and_they_equal_the_pass(learners: dict[str, Any]) -> None:
    t = learners["t"]
    periods = [(t(20), t(3)), (t(10), t(4)), (t(60), t(11)), (t(4), t(4)), (t(3), t(1))]
    before = {}
    for start, end in periods:
        assert closing.count(start, end) is not None
        for scope, column, category in ASKED:
            q = FigureQuery(start=start, end=end, period="range", category=category)
            before[(start, end, scope, column, category)] = passed = shown(q, scope, column, stock=False)
            assert shown(q, scope, column) == passed, (start, end, column, category)
    moved = FigureQuery(start=t(20), end=t(3), period="range")
    assert {k: v["enrolled"] for k, v in shown(moved, EVERYONE, "county_code").items()} == {
        "350102": 7,  # 1a (completed on S), 1b, 3a (unenrolled only at T-2), 3b, 4a, 4b, 7a
        "350103": 1,  # 5a
        "350203": 1,  # 2a: moved to 思明 on T-3, the period's last day
    }

    CourseStatus.objects.update(best_score=0, completed_on=None)  # the pass now sees other rows
    for (start, end, scope, column, category), was in before.items():
        q = FigureQuery(start=start, end=end, period="range", category=category)
        assert shown(q, scope, column) == was  # the closed counts, as they stood
    q = FigureQuery(start=t(20), end=t(3), period="range")
    assert shown(q, EVERYONE, "") != shown(q, EVERYONE, "", stock=False)
    other = FigureQuery(start=t(20), end=t(2), period="range")  # not counted: the pass answers
    assert shown(other, EVERYONE, "") == shown(other, EVERYONE, "", stock=False)


def test_a_period_is_counted_once(learners: dict[str, Any]) -> None:
    t = learners["t"]
    first = closing.count(t(10), t(4))
    rows = ClosedPeriodCounts.objects.filter(period=first).count()
    assert first is not None and rows > 0 and first.seconds >= 0
    assert closing.count(t(10), t(4)) is None  # another run's: kept, not doubled
    assert ClosedPeriod.objects.count() == 1 and ClosedPeriodCounts.objects.count() == rows


def _ended(**facts: Any) -> None:
    CourseStatus.objects.create(user_id=99, course_key="course-v1:X+z+1", **facts)


def test_the_beat_counts_the_ended_periods_newest_first(settings: Any) -> None:
    settings.XUESHI_STATS_CLOSE_RECENT_DAYS = 3
    _ended(enrolled_on=date(2025, 11, 20))
    # 2026-03-03 01:30 in Shanghai: 2 March ended 1.5 h ago, not settled yet (2 h); 1 March is.
    now = datetime(2026, 3, 2, 17, 30, tzinfo=UTC)
    due = closing.due(now)
    assert due[:4] == [
        (date(2026, 2, 23), date(2026, 3, 1)),  # the week (Monday to Sunday) ended on 1 March
        (date(2026, 3, 1), date(2026, 3, 1)),
        (date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 2, 28), date(2026, 2, 28)),
    ]
    assert (date(2025, 1, 1), date(2025, 12, 31)) in due and (date(2026, 3, 2), date(2026, 3, 2)) not in due
    assert (date(2025, 11, 17), date(2025, 11, 23)) in due  # the week of the first enrolment, and none before
    assert (date(2025, 11, 10), date(2025, 11, 16)) not in due
    assert (date(2024, 1, 1), date(2024, 12, 31)) not in due
    assert (date(2026, 2, 26), date(2026, 2, 26)) not in due  # only the last 3 days one by one
    assert closing.due(now + timedelta(hours=1))[0] == (date(2026, 3, 2), date(2026, 3, 2))

    assert closing.run(now, limit=2) == ["2026-02-23..2026-03-01", "2026-03-01..2026-03-01"]
    assert closing.due(now)[:1] == [(date(2026, 2, 1), date(2026, 2, 28))]
    call_command("xueshi_stats_close_periods")  # a backfill: every period due at the real today
    assert closing.due(timezone.now()) == []
    assert [p for p in closing.due(now) if p[0] != p[1]] == []  # March's weeks, months, years among them
    assert ClosedPeriod.objects.count() >= len(due) - 3


def test_the_beat_runs_the_close_task_hourly(settings: Any) -> None:
    entry = settings.CELERYBEAT_SCHEDULE["xueshi-stats-close-periods"]
    assert entry["task"] == "xueshi_stats.tasks.close_periods" and entry["schedule"] == timedelta(hours=1)
