"""The statistics benchmark's smoke run (issue 20 asks CI to run a scaled-down one), so it never rots.

A small province is seeded with the portable writer (the bulk writer has its own test,
``test_stats_seed``), then ``measure`` asks the real views as a provincial supervisor and runs the
export job's code, and ``rollup_rate`` rolls a minute of every learner's beats up through the real
ledger tables. Speed is not asserted (the full runs are ``python -m benchmarks.stats`` and
``python -m benchmarks.stats.rollup_rate``); validity is: every figure answers, the export holds
every enrolment, the roll-up credits each learner's minute from the ledger rows.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.test.utils import override_settings

pytestmark = [pytest.mark.component, pytest.mark.django_db]

LEARNERS, PER_LEARNER = 60, 2


def test_smoke_seed_drill_down_export_and_roll_up() -> None:
    from benchmarks.stats import rollup_rate, seed
    from benchmarks.stats.run import measure, options
    from xueshi_identity.models import PersonnelCategory
    from xueshi_stats import rollup
    from xueshi_stats.models import ClosedPeriod, CourseStatus, DailyStudy

    places = seed.counties()
    category = PersonnelCategory.objects.get_or_create(
        code=seed.CATEGORY[0], defaults={"name": seed.CATEGORY[1]}
    )[0]
    shape = {"places": places, "courses": 5, "per_learner": PER_LEARNER, "year": 2026, "every": 30}
    counts = seed.orm_write("SMK", LEARNERS, category, **shape)
    seed.rebuild(counts)
    assert counts["statuses"] == LEARNERS * PER_LEARNER and counts["stock_rows"] > 0

    with override_settings(ALLOWED_HOSTS=["bench.invalid"]):  # and undoes measure()'s own override
        figures = measure(options(["--repeat", "1", "--no-peer", "--format", "csv"]), places)
    for name in ("province_drill_down", "city_drill_down", "county_drill_down", "city_learner_page"):
        assert figures[name]["median_ms"] > 0, name
    assert figures["close_month_seconds"] >= 0 and figures["province_drill_down_closed"]["median_ms"] > 0
    assert ClosedPeriod.objects.filter(start=date(2026, 11, 1), end=date(2026, 11, 30)).exists()
    assert figures["export"]["rows"] == LEARNERS * PER_LEARNER

    rollup.run()
    learners = list(CourseStatus.objects.values_list("user_id", flat=True).distinct()[:10])
    start = datetime.now(UTC).replace(hour=1, minute=0, second=0, microsecond=0)
    sessions = rollup_rate.open_sessions(learners, seed.course_key("SMK", 0), start)
    assert rollup_rate.append_minute(sessions, 0, start) == 20
    rollup.roll_up_ledger()  # returns the id span it moved over (ids left by rolled-back tests count)
    day = rollup_rate.china_day_of(start)
    credited = DailyStudy.objects.filter(user_id__in=learners, course_key=seed.course_key("SMK", 0), day=day)
    assert sorted(credited.values_list("credited_ms", flat=True)) == [60_000] * len(learners)
