"""Who may manage a course's bank: global staff and the course team (staff or instructor)."""

from __future__ import annotations

from typing import Any

from opaque_keys.edx.keys import CourseKey

from xueshi_core import params
from xueshi_core.jsonbody import BadInput

from . import compat


def parse_course(raw: str) -> CourseKey | None:
    """A course key, or None when ``raw`` is not one (or too long for our columns)."""
    try:
        return params.course_key(raw)
    except BadInput:
        return None


def can_manage(user: Any, course_key: CourseKey) -> bool:
    """Global staff, or the course's staff/instructor."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or user.is_superuser or compat.is_course_staff(user, course_key))
