"""Course hour metadata and course completion, from server records only.

A course is completed when the learner's merged watched video reaches the course's minimum share
of its video (the author's declared total, or the length of the blocks the learner opened when
none is declared) and, where the course requires one, an exam round reached the pass mark.
The completion day is the later of the last day with credited study and the passing exam's day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey

from xueshi_core.api import china_day

from .data import CompletionRule, CourseHours
from .models import CourseHoursSetting

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def _codes(text: str) -> tuple[str, ...]:
    return tuple(c for c in (p.strip() for p in text.replace("，", ",").split(",")) if c)


def from_row(row: CourseHoursSetting) -> CourseHours:
    """The public shape of a course's settings row."""
    return CourseHours(
        course_key=str(row.course_key),
        title=row.title or str(row.course_key),
        declared_hours=Decimal(row.declared_hours),
        category=row.category,
        counts_for_categories=_codes(row.counts_for_categories),
        counts_for_regions=_codes(row.counts_for_regions),
        completion=CompletionRule(
            min_video_share=Decimal(row.min_video_share),
            video_minutes=row.video_minutes,
            exam_required=row.exam_required,
            exam_pass_percent=row.exam_pass_percent,
        ),
    )


def parse_course_key(course_key: str) -> CourseKey | None:
    """The key, or ``None`` for a malformed one (pages answer 404, never 500)."""
    try:
        return CourseKey.from_string(str(course_key))
    except InvalidKeyError:
        return None


def course_hours(course_key: str) -> CourseHours | None:
    """The course's hour metadata, or ``None`` if its team set none."""
    key = parse_course_key(course_key)
    row = CourseHoursSetting.objects.filter(course_key=key).first() if key else None
    return from_row(row) if row else None


def settings_by_course(course_keys: list[str]) -> dict[str, CourseHours]:
    """Hour metadata of several courses in one query."""
    keys = [k for k in (parse_course_key(c) for c in course_keys) if k is not None]
    return {str(r.course_key): from_row(r) for r in CourseHoursSetting.objects.filter(course_key__in=keys)}


def passing_exam_day(user_id: int, course: CourseHours, zone: str) -> tuple[date | None, int]:
    """China day of the first exam round of the course at or above its pass mark, and the best score."""
    from xueshi_questionbank import api as bank

    best, day = 0, None
    for result in bank.round_results(user_id, EPOCH, datetime.now(UTC)):
        if result.course_key != course.course_key or result.context != "exam":
            continue
        best = max(best, result.percent)
        if day is None and result.percent >= course.completion.exam_pass_percent:
            day = china_day(result.finished_at, zone)
    return day, best


def completed_on(
    user_id: int, course: CourseHours, zone: str, watch: tuple[float, float, date | None] | None = None
) -> date | None:
    """The China day the learner completed the course, or ``None`` if not (yet) completed.

    ``watch`` is the ledger's (watched, known length, last day) for the course when the caller
    read several courses at once (``xueshi_studytime.api.course_video_watch``).
    """
    if watch is None:
        from xueshi_studytime import api as ledger

        watch = ledger.course_video_watch(user_id, [course.course_key]).get(course.course_key)
    if watch is None:
        return None
    watched, known, last_day = watch
    length = course.completion.video_minutes * 60 or known
    if not length or Decimal(str(watched)) < course.completion.min_video_share * Decimal(str(length)):
        return None
    if not course.completion.exam_required:
        return last_day
    exam_day, _best = passing_exam_day(user_id, course, zone)
    if exam_day is None:
        return None
    return max(d for d in (last_day, exam_day) if d is not None)
