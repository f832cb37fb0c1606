"""Stand-in for ``common.djangoapps.student.models``: ``CourseEnrollment`` over the sandbox's table.

The class methods keep the platform's names and signatures (Verawood's
``student/models/course_enrollment.py``), so ``compat`` bodies that call them (``xueshi_core.compat``
``is_enrolled``/``enroll``/``unenroll``) and edx-completion run unchanged in the sandbox. The work,
filters and events included, is ``sandbox.lms.enrollment``'s.
"""

from sandbox.lms import enrollment as _sandbox
from sandbox.lms.enrollment import (  # noqa: F401  (the platform exports them from this module)
    CourseEnrollmentException,
    EnrollmentNotAllowed,
    NonExistentCourseError,
    UnenrollmentNotAllowed,
)


class CourseEnrollment:
    """The class methods of the platform's model that Xueshi and edx-completion call."""

    @classmethod
    def is_enrolled(cls, user, course_key):
        """True when the user has an active enrollment in the course."""
        return _sandbox.is_enrolled(user, course_key)

    @classmethod
    def enrollment_mode_for_user(cls, user, course_id):
        """``(mode, is_active)``, or ``(None, None)`` without a record."""
        return _sandbox.mode_for_user(user, course_id)

    @classmethod
    def enrollments_for_user(cls, user):
        """The user's active enrollments (rows with ``course_id``, ``created``, ``course_overview``)."""
        return [_Row(row) for row in _sandbox.active_enrollments(user)]

    @classmethod
    def get_enrollment(cls, user, course_key, select_related=None):
        """The record, active or not, or None."""
        return _sandbox.get_enrollment(user, course_key)

    @classmethod
    def enroll(cls, user, course_key, mode=None, check_access=False, can_upgrade=False, enterprise_uuid=None):
        """Enroll (runs ``CourseEnrollmentStarted``, sends ``COURSE_ENROLLMENT_CREATED``)."""
        return _sandbox.enroll(user, course_key, mode)

    @classmethod
    def unenroll(cls, user, course_id, skip_refund=False):
        """Unenroll (runs ``CourseUnenrollmentStarted``, sends ``COURSE_UNENROLLMENT_COMPLETED``)."""
        return _sandbox.unenroll(user, course_id)


class _Row:
    """An enrollment as the platform shows it: ``course_id``, ``mode``, ``created``, ``course_overview``."""

    def __init__(self, row):
        from openedx.core.djangoapps.content.course_overviews.models import CourseOverview

        self.user_id = row.user_id
        self.course_id = row.course.course_key
        self.mode = row.mode
        self.is_active = row.is_active
        self.created = row.created
        self.course_overview = CourseOverview(row.course)
