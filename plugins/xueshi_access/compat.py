"""The only module of ``xueshi_access`` that imports edx-platform, always lazily inside a function.

Written against Verawood (``release/verawood.1``). The sandbox supplies functions of the same
names through ``settings.XUESHI_PLATFORM_SHIM`` (``xueshi_core.shim``).
"""

from __future__ import annotations

from collections.abc import Iterable

from xueshi_core.api import platform_function


@platform_function
def enrolled_user_ids(course_key: str) -> list[int]:
    """Ids of learners actively enrolled in a course.

    Wraps ``common/djangoapps/student/models/course_enrollment.py`` ``CourseEnrollment``.
    """
    from common.djangoapps.student.models import CourseEnrollment
    from opaque_keys.edx.keys import CourseKey

    key = CourseKey.from_string(course_key)
    return list(
        CourseEnrollment.objects.filter(course_id=key, is_active=True).values_list("user_id", flat=True)
    )


@platform_function
def courses_of_users(user_ids: Iterable[int]) -> dict[int, list[str]]:
    """Course keys each learner is actively enrolled in (same model as above)."""
    from common.djangoapps.student.models import CourseEnrollment

    found: dict[int, list[str]] = {}
    rows = CourseEnrollment.objects.filter(user_id__in=list(user_ids), is_active=True)
    for user_id, course_id in rows.values_list("user_id", "course_id"):
        found.setdefault(user_id, []).append(str(course_id))
    return found


@platform_function
def course_choices() -> list[tuple[str, str]]:
    """``(course key, display name)`` of every course run, for report filters.

    Wraps ``openedx/core/djangoapps/content/course_overviews/models.py`` ``CourseOverview``.
    """
    from openedx.core.djangoapps.content.course_overviews.models import CourseOverview

    return [(str(c.id), c.display_name or str(c.id)) for c in CourseOverview.objects.order_by("id")]


def bearer_authentication_class() -> type:
    """The LMS's DRF authentication for DOT Bearer tokens (the mobile app's opaque tokens).

    ``openedx/core/lib/api/authentication.py`` ``BearerAuthenticationAllowInactiveUser``; the
    sandbox puts a stand-in of the same path on ``sys.path``.
    """
    from openedx.core.lib.api.authentication import BearerAuthenticationAllowInactiveUser

    return BearerAuthenticationAllowInactiveUser
