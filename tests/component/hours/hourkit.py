"""Server records for hour tests: learners with a region and category, credit as the flusher writes it."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time
from typing import Any

from django.contrib.auth.models import User
from opaque_keys.edx.keys import CourseKey, UsageKey

from xueshi_identity.models import PersonnelCategory
from xueshi_studytime.models import DailyStudyTotal, LedgerEntry, PlaybackSession, VideoProgress

from ..permkit import learner_in

COURSE = "course-v1:HoursOrg+H101+2026"
SEQ = iter(range(100, 100000))


def learner(username: str, region: tuple[str, str, str], category: str) -> User:
    """A learner with a profile in ``region`` and personnel category ``category``."""
    profile = learner_in(username, region, "某单位", next(SEQ))
    profile.category = PersonnelCategory.objects.get_or_create(code=category, defaults={"name": category})[0]
    profile.save()
    return profile.user


def usage(course: str = COURSE, block: str = "v1") -> UsageKey:
    """A video block of the course."""
    return CourseKey.from_string(course).make_usage_key("xueshi_video", block)


def credit(user: User, day: date, seconds: int, course: str = COURSE, block: str = "v1") -> None:
    """Credited seconds on a China day: a ledger row and the daily total, as the flusher commits them."""
    key = CourseKey.from_string(course)
    at = datetime.combine(day, time(4), UTC)  # 12:00 in Beijing
    session = PlaybackSession.objects.create(
        id=uuid.uuid4(), user=user, course_key=key, usage_key=usage(course, block), opened_at=at
    )
    LedgerEntry.objects.create(
        session=session,
        seq=1,
        user=user,
        course_key=key,
        usage_key=usage(course, block),
        credited_ms=seconds * 1000,
        from_position=0,
        to_position=seconds,
        received_at=at,
        china_day=day,
    )
    row, _ = DailyStudyTotal.objects.get_or_create(user=user, course_key=key, day=day)
    row.credited_ms += seconds * 1000
    row.save()


def watched(
    user: User, seconds: float, duration: float, course: str = COURSE, block: str = "v1", **extra: Any
) -> None:
    """The learner's merged watched time of one block (``VideoProgress``)."""
    VideoProgress.objects.update_or_create(
        user=user,
        usage_key=usage(course, block),
        defaults={
            "course_key": CourseKey.from_string(course),
            "watched_seconds": seconds,
            "duration": duration,
            **extra,
        },
    )
