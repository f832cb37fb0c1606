"""Enrolment in the sandbox, doing around the ``Enrollment`` row what the LMS's ``CourseEnrollment`` does.

Like ``common/djangoapps/student/models/course_enrollment.py`` (Verawood): ``enroll`` first runs the
``CourseEnrollmentStarted`` filter (a pipeline step may change the mode or refuse, e.g. until a
payment is made), then activates the row and sends ``COURSE_ENROLLMENT_CREATED``; ``unenroll`` runs
``CourseUnenrollmentStarted`` and sends ``COURSE_UNENROLLMENT_COMPLETED`` when the row was active.
Plugins hook enrolment here exactly as they would in the LMS (``OPEN_EDX_FILTERS_CONFIG`` and
openedx-events receivers). ``platform_stubs/common/djangoapps/student/models.py`` exposes these
functions under the platform's class and method names.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from opaque_keys.edx.keys import CourseKey
from openedx_events.learning.data import CourseData, CourseEnrollmentData, UserData, UserPersonalData
from openedx_events.learning.signals import COURSE_ENROLLMENT_CREATED, COURSE_UNENROLLMENT_COMPLETED
from openedx_filters.learning.filters import CourseEnrollmentStarted, CourseUnenrollmentStarted

from .models import CourseRun, Enrollment

log = logging.getLogger(__name__)
#: ``_default_course_mode`` of a course without paid modes.
DEFAULT_MODE = "audit"


class CourseEnrollmentException(Exception):
    """Base of the refusals ``enroll`` raises (the platform's class of the same name)."""


class NonExistentCourseError(CourseEnrollmentException):
    """There is no such course run."""


class EnrollmentNotAllowed(CourseEnrollmentException):
    """A ``CourseEnrollmentStarted`` pipeline step refused (its message says why)."""


class UnenrollmentNotAllowed(CourseEnrollmentException):
    """A ``CourseUnenrollmentStarted`` pipeline step refused."""


def _key(course_key: Any) -> CourseKey:
    return course_key if isinstance(course_key, CourseKey) else CourseKey.from_string(str(course_key))


def get_enrollment(user: Any, course_key: Any) -> Enrollment | None:
    """The user's row for the course, active or not; None for anonymous users or no row."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Enrollment.objects.filter(user=user, course__course_key=_key(course_key)).first()


def active_enrollments(user: Any) -> list[Enrollment]:
    """The user's active rows with their course runs, oldest first (``enrollments_for_user``)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return list(
        Enrollment.objects.filter(user=user, is_active=True).select_related("course").order_by("created")
    )


def is_enrolled(user: Any, course_key: Any) -> bool:
    """An active row exists (``CourseEnrollment.is_enrolled``)."""
    row = get_enrollment(user, course_key)
    return bool(row and row.is_active)


def mode_for_user(user: Any, course_key: Any) -> tuple[str | None, bool | None]:
    """``(mode, is_active)``, or ``(None, None)`` without a row (``enrollment_mode_for_user``)."""
    row = get_enrollment(user, course_key)
    return (row.mode, row.is_active) if row else (None, None)


def has_staff_access(user: Any, course_key: Any) -> bool:
    """Global staff or the course team (the Django group ``course_staff:<key>``), as ``has_access``."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return bool(user.groups.filter(name=f"course_staff:{_key(course_key)}").exists())


def may_load(user: Any, course_key: Any) -> bool:
    """Whether the courseware of the course opens for ``user``: enrolled, or with staff access."""
    return is_enrolled(user, course_key) or has_staff_access(user, course_key)


def _event_data(row: Enrollment) -> CourseEnrollmentData:
    user = row.user
    return CourseEnrollmentData(
        user=UserData(
            pii=UserPersonalData(username=user.username, email=user.email, name=user.get_full_name()),
            id=user.id,
            is_active=user.is_active,
        ),
        course=CourseData(course_key=row.course.course_key, display_name=row.course.title),
        mode=row.mode,
        is_active=row.is_active,
        creation_date=row.created,
    )


def enroll(user: Any, course_key: Any, mode: str | None = None) -> Enrollment:
    """Enrol ``user`` (activating an old row) and announce it; raise a ``CourseEnrollmentException``.

    As in the LMS, the event is sent on every call, so callers that must not announce twice (the
    enrol view, the demo) ask ``is_enrolled`` first.
    """
    try:
        user, course_key, mode = CourseEnrollmentStarted.run_filter(
            user=user, course_key=_key(course_key), mode=mode
        )
    except CourseEnrollmentStarted.PreventEnrollment as exc:
        raise EnrollmentNotAllowed(str(exc)) from exc
    try:
        course = CourseRun.objects.get(course_key=_key(course_key))
    except CourseRun.DoesNotExist as exc:
        raise NonExistentCourseError(str(course_key)) from exc
    with transaction.atomic():
        row, _created = Enrollment.objects.select_for_update().get_or_create(
            user=user, course=course, defaults={"mode": mode or DEFAULT_MODE}
        )
        row.is_active, row.mode = True, mode or row.mode
        row.save(update_fields=["is_active", "mode"])
    COURSE_ENROLLMENT_CREATED.send_event(enrollment=_event_data(row))
    return row


def unenroll(user: Any, course_key: Any) -> None:
    """Deactivate the user's row (kept, as the LMS keeps it); a missing row is logged, not raised."""
    row = get_enrollment(user, course_key)
    if row is None:
        log.warning("unenroll: user %s has no enrollment in %s", getattr(user, "pk", None), course_key)
        return
    try:
        row = CourseUnenrollmentStarted.run_filter(enrollment=row)
    except CourseUnenrollmentStarted.PreventUnenrollment as exc:
        raise UnenrollmentNotAllowed(str(exc)) from exc
    if not row.is_active:
        return
    row.is_active = False
    row.save(update_fields=["is_active"])
    COURSE_UNENROLLMENT_COMPLETED.send_event(enrollment=_event_data(row))
