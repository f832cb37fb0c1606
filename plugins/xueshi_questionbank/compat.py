"""The only module of ``xueshi_questionbank`` that imports edx-platform, always lazily inside a function.

Checked against Verawood (``release/verawood.1``); the sandbox supplies stand-ins of the same
names through ``settings.XUESHI_PLATFORM_SHIM``.
"""

from __future__ import annotations

from typing import Any

from xueshi_core.shim import platform_function


@platform_function
def is_course_staff(user: Any, course_key: Any) -> bool:
    """Whether ``user`` is on the course team (staff or instructor role) of ``course_key``.

    Wraps ``common.djangoapps.student.roles.CourseStaffRole`` and ``CourseInstructorRole``
    (``has_user``), the roles Studio's course team page grants.
    """
    from common.djangoapps.student.roles import CourseInstructorRole, CourseStaffRole

    return bool(CourseStaffRole(course_key).has_user(user) or CourseInstructorRole(course_key).has_user(user))
