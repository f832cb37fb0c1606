"""A synthetic province for the statistics benchmark, written in bulk (minutes for 1,000,000 learners).

``learners`` accounts with real-name profiles spread over the current counties of 福建省
(350000, the identity app's dated GB/T 2260 data), each enrolled in ``per_learner`` of
``courses`` courses, with a study day every ``every`` days of half a year in each (``DailyStudy``), a best
score and, for two thirds, a completion. The roll-up tables are written directly, as a rebuild
would write them: the benchmark measures reading them, not the flusher (issue 7's benchmark).

What each learner gets is decided once, here (``province``); two writers store it: on MariaDB
``bulkload`` streams the rows into ``LOAD DATA LOCAL INFILE`` with the secondary indexes deferred
(ADR 0306), elsewhere (SQLite, the smoke run) ``orm_write`` uses ``bulk_create``. Both store the
values the app would: the identity columns go through the model's own field, hash and mask code.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

PROVINCE = "350000"
BATCH = 5000
FIRST_SPELL = date(2000, 1, 1)
STUDY_MS, STATUS_MS = 600_000, 36 * 600_000  # a study day's credit; a status's (as the first seed wrote)
LAST_STUDY, EXAMINED = 175, 60  # days after enrolment
CATEGORY = ("professional_technical", "专业技术人员")


def counties() -> list[tuple[str, str]]:
    """``(city, county)`` codes of the province's current counties."""
    from xueshi_identity.models import AdminDivision

    rows = AdminDivision.objects.filter(level="county", code__startswith=PROVINCE[:2], valid_to__isnull=True)
    return [(f"{c[:4]}00", c) for c in rows.values_list("code", flat=True)]


def course_key(run: str, n: int) -> str:
    """The n-th benchmark course of a run."""
    return f"course-v1:StatsBench+{run}C{n}+2026"


@dataclass(slots=True)
class Learner:
    """One synthetic learner: account id, region and enrolments ``(course, enrolled day offset, score)``."""

    uid: int
    n: int
    city: str
    county: str
    enrolments: list[tuple[int, int, int]]

    @property
    def employer(self) -> str:
        return f"单位{self.n % 500}"

    def identity(self) -> dict[str, str]:
        """The plain identity values, with the hashes and masks the model derives from them."""
        from xueshi_core.masking import mask_id_number, mask_phone
        from xueshi_identity.models import IdentityProfile
        from xueshi_identity.testing import make_resident_id

        born = date(1950, 1, 1) + timedelta(days=self.uid // 1000)  # unique with the sequence, across runs
        number = make_resident_id(self.county, born.strftime("%Y%m%d"), self.uid % 1000)
        phone = f"139{self.uid % 100_000_000:08d}"
        return {
            "real_name": f"基准学员{self.n}", "id_type": "resident_id", "id_number": number,
            "id_number_hash": IdentityProfile.hash_id_number("resident_id", number),
            "id_number_masked": mask_id_number(number), "phone": phone,
            "phone_hash": IdentityProfile.hash_phone(phone), "phone_masked": mask_phone(phone),
        }  # fmt: skip


def province(
    run: str, uids: list[int], places: list[tuple[str, str]], courses: int, per_learner: int
) -> Iterator[Learner]:
    """The learners of ``uids`` (ascending), drawn from a generator seeded by the run's name."""
    rng = random.Random(run)
    for n, uid in enumerate(uids):
        city, county = places[n % len(places)]
        picked = rng.sample(range(courses), per_learner)
        enrolments = [(c, rng.randrange(180), rng.randrange(30, 101)) for c in picked]
        yield Learner(uid, n, city, county, enrolments)


def seed(
    run: str, learners: int, courses: int, per_learner: int, year: int, every: int = 15
) -> dict[str, Any]:
    """Create everything; return the counties used and how many rows each table got."""
    from django.db import connection, transaction

    from xueshi_identity.models import PersonnelCategory

    places = counties()
    category = PersonnelCategory.objects.get_or_create(code=CATEGORY[0], defaults={"name": CATEGORY[1]})[0]
    shape: dict[str, Any] = {"places": places, "courses": courses, "per_learner": per_learner}
    shape |= {"year": year, "every": every}
    if connection.vendor == "mysql":
        from .bulkload import write

        counts, study = write(run, learners, category, **shape)
    else:
        with transaction.atomic():
            counts, study = orm_write(run, learners, category, **shape), None
    rebuild(counts, study)
    return {"counties": places, **counts}


def rebuild(counts: dict[str, int], study: Any = None) -> None:
    """Rebuild what the app derives from the loaded rows, as its rebuild commands would (one line each).

    ``study``: the bulk writer's count of its daily rows (``tally.StudyTally``), added to the
    summary instead of re-reading every daily row (ADR 0306).
    """
    from xueshi_stats import stocks, summary

    # the day × region summary (ADR 0301)
    counts["summary_rows"] = summary.refresh_all() if study is None else study.add_to_summary()
    # the county stock of learner counts (ADR 0303), as its rebuild writes it
    counts["stock_rows"] = stocks.rebuild_all()


def orm_write(
    run: str, learners: int, category: Any, *, places: list[tuple[str, str]], courses: int,
    per_learner: int, year: int, every: int,
) -> dict[str, int]:  # fmt: skip
    """The portable writer (SQLite, the smoke run): Django's ``bulk_create`` in batches."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    _bulk(user_model, [user_model(username=f"sb{run}-{i}", password="!") for i in range(learners)])
    uids = sorted(user_model.objects.filter(username__startswith=f"sb{run}-").values_list("pk", flat=True))
    return orm_rows(province(run, uids, places, courses, per_learner), run, category, year, every)


def orm_rows(learners: Iterable[Learner], run: str, category: Any, year: int, every: int) -> dict[str, int]:
    """The learners' profiles, spells, statuses and daily rows through ``bulk_create``."""
    from xueshi_identity.models import IdentityProfile
    from xueshi_stats.models import CourseStatus, DailyStudy, RegionSpell

    first = date(year, 1, 1)
    profiles, spells, statuses, days = [], [], [], []
    counts = {"profiles": 0, "statuses": 0, "daily_rows": 0}
    for one in learners:
        region = {"province_code": PROVINCE, "city_code": one.city, "county_code": one.county}
        region |= {"employer": one.employer, "category_code": category.code}
        identity = one.identity() | region_of(region)
        profiles.append(IdentityProfile(user_id=one.uid, category=category, **identity))
        spells.append(RegionSpell(user_id=one.uid, valid_from=FIRST_SPELL, **region))
        for c, offset, score in one.enrolments:
            key, enrolled = course_key(run, c), first + timedelta(days=offset)
            done = enrolled + timedelta(days=EXAMINED) if score >= 60 else None
            statuses.append(
                CourseStatus(
                    user_id=one.uid, course_key=key, enrolled_on=enrolled, first_study_day=enrolled,
                    last_study_day=enrolled + timedelta(days=LAST_STUDY), credited_ms=STATUS_MS,
                    examined_on=enrolled + timedelta(days=EXAMINED), best_score=score, completed_on=done,
                )
            )  # fmt: skip
            for d in range(0, 180, every):
                day = {"day": enrolled + timedelta(days=d), "credited_ms": STUDY_MS, "sessions": 1}
                days.append(DailyStudy(user_id=one.uid, course_key=key, **day, **region))
        if len(days) >= BATCH * 4:  # constant memory however many learners
            counts["daily_rows"] += len(days)
            _bulk(DailyStudy, days)
            days = []
    for model, rows in ((IdentityProfile, profiles), (RegionSpell, spells), (CourseStatus, statuses)):
        _bulk(model, rows)
    _bulk(DailyStudy, days)
    counts.update(profiles=len(profiles), statuses=len(statuses), daily_rows=counts["daily_rows"] + len(days))
    return counts


def region_of(region: dict[str, str]) -> dict[str, str]:
    """A spell's region columns as the profile's (the category is a foreign key there)."""
    return {k: v for k, v in region.items() if k != "category_code"}


def _bulk(model: Any, rows: list[Any]) -> None:
    for start in range(0, len(rows), BATCH):
        model.objects.bulk_create(rows[start : start + BATCH])
