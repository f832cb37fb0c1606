"""Public Python API of ``xueshi_hours`` (CONTRACTS.md): read by certificates, statistics, the archive."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from . import accounts, coursehours
from .data import CourseHours, HourAccount, HourLine, HoursError
from .signals import HOURS_CHANGED

__all__ = [
    "HOURS_CHANGED",
    "CourseHours",
    "HourAccount",
    "HourLine",
    "HoursError",
    "course_completed",
    "course_hours",
    "hour_account",
    "learners_meeting",
]


def hour_account(user_id: int, year: int | None = None) -> HourAccount:
    """The learner's hours for the period starting in ``year`` (None = the current period).

    Raises ``HoursError`` with code ``no_rule`` if no rule covers the learner's region and
    category (``no_profile`` if they have no real-name profile).
    """
    return accounts.hour_account(user_id, year)


def learners_meeting(period_year: int, *, region_prefix: str = "", category: str = "") -> Iterator[int]:
    """Ids of learners whose account for the period starting in ``period_year`` is met.

    Candidates are learners with credited study or approved external hours from ``period_year``
    through the next year (a window period may run into it); learners without a profile or a
    rule are skipped. Yields lazily, so a batch job can stop and resume.
    """
    from xueshi_studytime import api as ledger

    from .models import ExternalHours

    start, end = date(period_year, 1, 1), date(period_year + 1, 12, 31)
    candidates = set(ledger.learners_with_credit(start, end))
    candidates |= set(
        ExternalHours.objects.filter(
            status=ExternalHours.APPROVED, decided_day__range=(start, end)
        ).values_list("user_id", flat=True)
    )
    for user_id in sorted(candidates):
        try:
            learner = accounts.learner_of(user_id)
        except HoursError:
            continue
        if region_prefix and not learner.region.startswith(region_prefix):
            continue
        if category and learner.category != category:
            continue
        try:
            if accounts.account_for(learner, period_year).met:
                yield user_id
        except HoursError:
            continue


def course_hours(course_key: str) -> CourseHours | None:
    """The course's declared hours, category, where it counts and its completion rule (None if unset)."""
    return coursehours.course_hours(course_key)


def has_course_hours(course_key: str) -> bool:
    """Whether the course team set hours for the course (our course tabs show only on such courses)."""
    return coursehours.course_hours(course_key) is not None


def course_completed(user_id: int, course_key: str) -> date | None:
    """The China day the learner completed the course by server records, or None."""
    course = coursehours.course_hours(course_key)
    if course is None:
        return None
    return coursehours.completed_on(user_id, course, accounts.zone())
