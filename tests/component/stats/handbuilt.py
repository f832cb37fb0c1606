"""Hand-built status rows and spells (``learners``) for the stock and closed-period tests.

T = today in Shanghai; the comments in ``learners`` say what each enrolment is in [T-10, T].
Shared through the package's conftest (``learners``, ``today``).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from xueshi_core.days import china_day
from xueshi_core.scopes import Scope
from xueshi_stats import stocks
from xueshi_stats.models import CourseStatus, RegionSpell

GULOU = ("350000", "350100", "350102")
TAIJIANG = ("350000", "350100", "350103")
SIMING = ("350000", "350200", "350203")
EVERYONE = Scope(everything=True)
FUZHOU = Scope(regions=("350100",))


def spell(
    uid: int, place: tuple[str, str, str], category: str, since: date, until: date | None = None
) -> None:
    codes = dict(zip(("province_code", "city_code", "county_code"), place, strict=True))
    RegionSpell.objects.create(
        user_id=uid, valid_from=since, valid_to=until, employer="单位", category_code=category, **codes
    )


def status(uid: int, course: str, **facts: Any) -> None:
    CourseStatus.objects.create(user_id=uid, course_key=f"course-v1:X+{course}+1", **facts)


@pytest.fixture(name="today")
def today_in_shanghai() -> date:
    return china_day(timezone.now())


@pytest.fixture
def learners(db: Any, today: date) -> dict[str, Any]:
    """Seven learners; the comments say what each enrolment is in the period [T-10, T]."""
    t = lambda n: today - timedelta(days=n)  # noqa: E731
    spell(1, GULOU, "pro", date(2000, 1, 1))
    status(
        1,
        "a",
        enrolled_on=t(40),
        first_study_day=t(30),
        last_study_day=t(12),
        completed_on=t(20),
        examined_on=t(20),
        best_score=95,
    )  # completed before S: outside
    status(1, "b", enrolled_on=t(40), first_study_day=t(30), last_study_day=t(5))  # study straddles S
    spell(2, TAIJIANG, "pro", date(2000, 1, 1), t(3))
    spell(2, SIMING, "pro", t(3))  # moved county (and city) inside the period: counts in 思明
    status(
        2, "a", enrolled_on=t(30), first_study_day=t(8), last_study_day=t(8), examined_on=t(6), best_score=55
    )
    spell(3, GULOU, "acc", date(2000, 1, 1))
    status(3, "a", enrolled_on=t(30), unenrolled_on=t(2), first_study_day=t(5), last_study_day=t(5))  # left
    status(
        3,
        "b",
        enrolled_on=t(30),
        first_study_day=t(9),
        last_study_day=t(9),
        completed_on=t(4),
        examined_on=t(4),
        best_score=85,
    )
    spell(4, GULOU, "pro", date(2000, 1, 1))
    status(4, "a", enrolled_on=t(50), examined_on=t(1), best_score=72)  # examined, not completed, no study
    status(
        4, "b", enrolled_on=t(50), first_study_day=t(2), last_study_day=t(2), completed_on=t(11)
    )  # before S
    spell(5, TAIJIANG, "pro", date(2000, 1, 1))
    status(
        5,
        "a",
        enrolled_on=t(20),
        first_study_day=t(0),
        last_study_day=t(0),
        completed_on=t(0),
        examined_on=t(0),
        best_score=100,
    )
    status(5, "b", first_study_day=t(1), last_study_day=t(1))  # study before the enrolment event
    status(6, "a", enrolled_on=t(10), first_study_day=t(1), last_study_day=t(1))  # no region: nowhere
    spell(7, GULOU, "pro", date(2000, 1, 1))
    status(
        7,
        "a",
        enrolled_on=t(30),
        first_study_day=t(15),
        last_study_day=t(15),
        completed_on=t(10),
        examined_on=t(10),
        best_score=60,
    )  # completed on S itself
    stocks.rebuild_all()
    return {"t": t}
