"""A synthetic province for the statistics benchmark, written in bulk (seconds, not hours).

``learners`` accounts with real-name profiles spread over the current counties of 福建省
(350000, the identity app's dated GB/T 2260 data), each enrolled in ``per_learner`` of
``courses`` courses, with a study day every ``every`` days of half a year in each (``DailyStudy``), a best
score and, for two thirds, a completion. The roll-up tables are written directly, as a rebuild
would write them: the benchmark measures reading them, not the flusher (issue 7's benchmark).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

PROVINCE = "350000"
BATCH = 5000


def counties() -> list[tuple[str, str]]:
    """``(city, county)`` codes of the province's current counties."""
    from xueshi_identity.models import AdminDivision

    rows = AdminDivision.objects.filter(level="county", code__startswith=PROVINCE[:2], valid_to__isnull=True)
    return [(f"{c[:4]}00", c) for c in rows.values_list("code", flat=True)]


def course_key(run: str, n: int) -> str:
    """The n-th benchmark course of a run."""
    return f"course-v1:StatsBench+{run}C{n}+2026"


def _bulk(model: Any, rows: list[Any]) -> None:
    for start in range(0, len(rows), BATCH):
        model.objects.bulk_create(rows[start : start + BATCH])


def seed(
    run: str, learners: int, courses: int, per_learner: int, year: int, every: int = 15
) -> dict[str, Any]:
    """Create everything; return the counties used and how many rows each table got."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from xueshi_core.masking import mask_id_number, mask_phone
    from xueshi_identity.models import IdentityProfile, PersonnelCategory
    from xueshi_identity.testing import make_resident_id
    from xueshi_stats import stocks, summary
    from xueshi_stats.models import CourseStatus, DailyStudy, RegionSpell

    rng = random.Random(run)
    places = counties()
    category = PersonnelCategory.objects.get_or_create(
        code="professional_technical", defaults={"name": "专业技术人员"}
    )[0]
    user_model = get_user_model()
    first = date(year, 1, 1)
    counts = {"profiles": 0, "statuses": 0, "daily_rows": 0}
    with transaction.atomic():
        _bulk(user_model, [user_model(username=f"sb{run}-{i}", password="!") for i in range(learners)])
        users = list(user_model.objects.filter(username__startswith=f"sb{run}-").values_list("pk", flat=True))
        profiles, spells, statuses, days = [], [], [], []
        for n, uid in enumerate(users):
            city, county = places[n % len(places)]
            born = date(1950, 1, 1) + timedelta(days=uid // 1000)  # unique with the sequence, across runs
            number = make_resident_id(county, born.strftime("%Y%m%d"), uid % 1000)
            phone = f"139{uid % 100_000_000:08d}"
            profiles.append(
                IdentityProfile(
                    user_id=uid, real_name=f"基准学员{n}", id_type="resident_id", id_number=number,
                    id_number_hash=IdentityProfile.hash_id_number("resident_id", number),
                    id_number_masked=mask_id_number(number), province_code=PROVINCE, city_code=city,
                    county_code=county, employer=f"单位{n % 500}", category=category, phone=phone,
                    phone_hash=IdentityProfile.hash_phone(phone), phone_masked=mask_phone(phone),
                )
            )  # fmt: skip
            region = {"province_code": PROVINCE, "city_code": city, "county_code": county}
            region |= {"employer": f"单位{n % 500}", "category_code": category.code}
            spells.append(RegionSpell(user_id=uid, valid_from=date(2000, 1, 1), **region))
            for c in rng.sample(range(courses), per_learner):
                key, enrolled = course_key(run, c), first + timedelta(days=rng.randrange(180))
                score = rng.randrange(30, 101)
                done = enrolled + timedelta(days=60) if score >= 60 else None
                statuses.append(
                    CourseStatus(
                        user_id=uid, course_key=key, enrolled_on=enrolled, first_study_day=enrolled,
                        last_study_day=enrolled + timedelta(days=175), credited_ms=36 * 600_000,
                        examined_on=enrolled + timedelta(days=60), best_score=score, completed_on=done,
                    )
                )  # fmt: skip
                for d in range(0, 180, every):
                    day = {"day": enrolled + timedelta(days=d), "credited_ms": 600_000, "sessions": 1}
                    days.append(DailyStudy(user_id=uid, course_key=key, **day, **region))
            if len(days) >= BATCH * 4:  # constant memory however many learners
                counts["daily_rows"] += len(days)
                _bulk(DailyStudy, days)
                days = []
        _bulk(IdentityProfile, profiles)
        _bulk(RegionSpell, spells)
        _bulk(CourseStatus, statuses)
        _bulk(DailyStudy, days)
        counts["summary_rows"] = summary.refresh_all()  # as the roll-up keeps it (ADR 0301)
        counts["stock_rows"] = stocks.rebuild_all()  # as the roll-up keeps it (ADR 0303)
    counts.update(profiles=len(profiles), statuses=len(statuses), daily_rows=counts["daily_rows"] + len(days))
    return {"counties": places, **counts}
