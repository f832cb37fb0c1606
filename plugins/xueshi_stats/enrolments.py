"""Enrolment facts from the platform's openedx-events: enrolment created, unenrolment completed.

The platform keeps whether an enrolment is active, not when it ended, so the dates come from the
events as they happen (China days of the server clock). A receiver that fails is logged and the
fact is found again by ``xueshi_stats_rebuild --compare`` (the platform's active flag is checked).
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from xueshi_core.days import china_day

from . import stocks
from .models import CourseStatus

log = logging.getLogger(__name__)


def _day(moment: Any) -> date:
    return china_day(moment if moment is not None and getattr(moment, "tzinfo", None) else timezone.now())


def enrolled(user_id: int, course_key: str, first: date, today: date | None = None) -> None:
    """Record an enrolment made on ``first``; a re-enrolment after leaving starts again ``today``."""
    with transaction.atomic(), stocks.tracking([(user_id, course_key)]):
        row, created = CourseStatus.objects.select_for_update().get_or_create(
            user_id=user_id, course_key=course_key, defaults={"enrolled_on": first}
        )
        if created:
            return
        if row.unenrolled_on is not None:
            row.enrolled_on, row.unenrolled_on = today or first, None
        elif row.enrolled_on is None:  # study or exam facts arrived before the enrolment event
            row.enrolled_on = first
        else:
            return
        row.save(update_fields=["enrolled_on", "unenrolled_on"])


def unenrolled(user_id: int, course_key: str, on: date) -> None:
    """Record that the learner left the course (unenrolled, refunded) on ``on``."""
    with transaction.atomic(), stocks.tracking([(user_id, course_key)]):
        row, _created = CourseStatus.objects.select_for_update().get_or_create(
            user_id=user_id, course_key=course_key
        )
        row.unenrolled_on = on
        row.save(update_fields=["unenrolled_on"])


def on_enrollment_created(sender: Any, enrollment: Any, **kwargs: Any) -> None:
    """``COURSE_ENROLLMENT_CREATED``: the learner is enrolled from the event's day."""
    first = _day(getattr(enrollment, "creation_date", None))
    enrolled(int(enrollment.user.id), str(enrollment.course.course_key), first, _day(None))


def on_unenrollment_completed(sender: Any, enrollment: Any, **kwargs: Any) -> None:
    """``COURSE_UNENROLLMENT_COMPLETED``: the learner left today."""
    unenrolled(int(enrollment.user.id), str(enrollment.course.course_key), _day(None))


def connect() -> None:
    """Subscribe to the platform's enrolment events (no platform import: openedx-events is a library)."""
    from openedx_events.learning.signals import COURSE_ENROLLMENT_CREATED, COURSE_UNENROLLMENT_COMPLETED

    COURSE_ENROLLMENT_CREATED.connect(on_enrollment_created, dispatch_uid="xueshi_stats.enrolled")
    COURSE_UNENROLLMENT_COMPLETED.connect(on_unenrollment_completed, dispatch_uid="xueshi_stats.unenrolled")
