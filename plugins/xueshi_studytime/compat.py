"""The only module of ``xueshi_studytime`` that imports edx-platform, always lazily inside a function.

Each function names the platform code it wraps and the release it was checked against
(Verawood, ``release/verawood.1``). The sandbox and tests supply stand-ins of the same names
through ``settings.XUESHI_PLATFORM_SHIM`` (see ``xueshi_core.shim`` and ``sandbox/platform.py``).
"""

from __future__ import annotations

from typing import Any

from xueshi_core.shim import platform_function


class BlockNotFound(LookupError):
    """No block of that usage key in that course (a 404)."""


class BlockAccessDenied(PermissionError):
    """The learner may not load the block: not enrolled, or the course hides it from them (a 403)."""


@platform_function
def load_learner_block(request: Any, user: Any, usage_key: Any) -> Any:
    """The block ``usage_key`` bound to ``user``, as the LMS's XBlock handler view loads it.

    The app's session endpoint runs the block's own ``open_session`` handler on what this returns,
    so it must pass the same gates as ``/courses/…/handler/…``: an active enrollment (or a course
    staff role), then the platform's ``has_access(user, "load", block)`` (release dates, visibility,
    cohorts). Wraps ``CourseEnrollment.is_enrolled`` (``common/djangoapps/student/models``),
    ``courseware.access.has_access`` and ``courseware.block_render.load_single_xblock``, which
    raises ``Http404`` when access is refused and ``ItemNotFoundError`` for an unknown block.

    Raises:
        BlockNotFound: no such block in the course.
        BlockAccessDenied: the user is not enrolled, or may not load the block.
    """
    from common.djangoapps.student.models import CourseEnrollment
    from django.http import Http404
    from lms.djangoapps.courseware.access import has_access
    from lms.djangoapps.courseware.block_render import load_single_xblock
    from xmodule.modulestore.exceptions import ItemNotFoundError

    course_key = usage_key.course_key
    if not (CourseEnrollment.is_enrolled(user, course_key) or has_access(user, "staff", course_key)):
        raise BlockAccessDenied("not enrolled in this course")
    try:
        return load_single_xblock(request, user.id, str(course_key), str(usage_key))
    except ItemNotFoundError as exc:
        raise BlockNotFound(str(usage_key)) from exc
    except Http404 as exc:
        raise BlockAccessDenied("the course does not let this learner load the block") from exc
