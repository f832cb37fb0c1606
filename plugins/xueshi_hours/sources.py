"""Source items of one learner over a period, read from server records through the apps' APIs.

Video: the ledger's daily totals (one item per course and China day). Course completion: each
course with hour metadata the learner studied, completed or not (the line says which). Exams and
practice: rounds recorded by the question bank. External: hours an operator approved.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from xueshi_core.api import china_day

from . import coursehours
from . import data as d
from .evaluate import ZERO, SourceItem
from .models import ExternalHours
from .periods import Period
from .rules import Rule

SIXTY = Decimal(60)


def _bounds(period: Period, zone: str) -> tuple[datetime, datetime]:
    tz = ZoneInfo(zone)
    start = datetime.combine(period.start, time.min, tz).astimezone(UTC)
    end = datetime.combine(period.end + timedelta(days=1), time.min, tz).astimezone(UTC)
    return start, end


def _course_item(course: d.CourseHours | None, course_key: str, **fields: object) -> SourceItem:
    return SourceItem(
        ref=course_key,
        course_key=course_key,
        title=course.title if course else course_key,
        category=course.category if course else "",
        counts_for_categories=course.counts_for_categories if course else (),
        counts_for_regions=course.counts_for_regions if course else (),
        **fields,  # type: ignore[arg-type]
    )


def video_items(totals: list[tuple[str, date, int]], courses: dict[str, d.CourseHours]) -> list[SourceItem]:
    """One item per (course, China day) with credited minutes.

    A year is thousands of rows over a handful of courses and durations: each course's fields and
    each distinct minute figure are built once (ADR 0180), the items are the same.
    """
    per_course: dict[str, tuple[str, str, tuple[str, ...], tuple[str, ...]]] = {}
    minutes: dict[int, Decimal] = {}
    items = []
    for course_key, day, seconds in totals:
        fields = per_course.get(course_key)
        if fields is None:
            course = courses.get(course_key)
            fields = per_course[course_key] = (
                (course.title, course.category, course.counts_for_categories, course.counts_for_regions)
                if course
                else (course_key, "", (), ())
            )
        raw = minutes.get(seconds)
        if raw is None:
            raw = minutes[seconds] = Decimal(seconds) / SIXTY
        title, category, categories, regions = fields
        items.append(
            SourceItem(d.VIDEO, course_key, title, category, day, raw, course_key, ZERO, categories, regions)
        )
    return items


def completion_items(
    user_id: int, period: Period, courses: dict[str, d.CourseHours], zone: str
) -> list[SourceItem]:
    """One item per course with hour metadata the learner studied: completed in the period or not."""
    from xueshi_studytime import api as ledger

    watches = ledger.course_video_watch(user_id, list(courses))
    items = []
    for course in courses.values():
        day = coursehours.completed_on(
            user_id, course, zone, watches.get(course.course_key, (0.0, 0.0, None))
        )
        if day is not None and not period.holds(day):
            continue
        items.append(
            _course_item(
                course,
                course.course_key,
                source=d.COMPLETION,
                day=day,
                raw=course.declared_hours,
                units=course.declared_hours,
                completed=day is not None,
            )
        )
    return items


def round_items(rounds: list[Any], courses: dict[str, d.CourseHours], zone: str) -> list[SourceItem]:
    """Practice and exam rounds finished in the period (``xueshi_questionbank.api.RoundResult``)."""
    items = []
    for r in rounds:
        course = courses.get(r.course_key)
        pass_mark = course.completion.exam_pass_percent if course else 60
        items.append(
            _course_item(
                course,
                r.course_key,
                source=d.EXAM if r.context == "exam" else d.PRACTICE,
                day=china_day(r.finished_at, zone),
                raw=Decimal(r.percent if r.context == "exam" else r.answered),
                passed=r.context == "exam" and r.percent >= pass_mark,
            )
        )
    return items


def external_items(user_id: int, period: Period) -> list[SourceItem]:
    """Approved external hours, on their approval day."""
    rows = ExternalHours.objects.filter(
        user_id=user_id, status=ExternalHours.APPROVED, decided_day__range=(period.start, period.end)
    )
    return [
        SourceItem(
            source=d.EXTERNAL,
            ref=f"external:{row.pk}",
            title=row.title,
            category=row.category,
            day=row.decided_day,
            raw=Decimal(row.hours),
            units=Decimal(row.hours),
        )
        for row in rows
    ]


def items_for(user_id: int, rule: Rule, period: Period, zone: str) -> list[SourceItem]:
    """Every source item of the learner in the period (what ``evaluate`` turns into lines)."""
    from xueshi_questionbank import api as bank

    from xueshi_studytime import api as ledger

    totals = ledger.daily_totals(user_id, period.start, period.end)
    rounds = bank.round_results(user_id, *_bounds(period, zone))
    studied = {c for c, _day, _s in totals}
    tested = {r.course_key for r in rounds}
    round_courses = {c for r in rule.required_rounds for c in r.courses}
    courses = coursehours.settings_by_course(sorted(studied | tested | round_courses))
    studied_courses = {k: v for k, v in courses.items() if k in studied or k in round_courses}
    return (
        video_items(totals, courses)
        + completion_items(user_id, period, studied_courses, zone)
        + round_items(rounds, courses, zone)
        + external_items(user_id, period)
    )
