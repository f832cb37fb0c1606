"""Stand-in for ``lms.djangoapps.courseware.tabs.EnrolledTab`` (and ``xmodule.tabs.CourseTab``'s core).

Only what Xueshi's course tabs rely on (``xueshi_core.compat.course_tab_class``): a tab built from
a ``tab_dict`` whose ``link_func(course, reverse_func)`` gives its URL, ``name`` from ``title``,
and ``is_enabled`` true for enrolled learners and staff, as the platform's class.
"""

from __future__ import annotations

from typing import Any

from common.djangoapps.student.models import CourseEnrollment


class CourseTab:
    """The platform's tab base: ``type``, ``title``, ``priority``, ``link_func`` from the tab dict."""

    type = ""
    title = ""
    priority: int | None = None
    view_name = ""
    is_dynamic = False
    is_default = True
    is_hideable = False
    is_movable = True

    def __init__(self, tab_dict: dict[str, Any]) -> None:
        self.name = tab_dict.get("name", self.title)
        self.tab_id = tab_dict.get("tab_id", self.type)
        self.tab_dict = tab_dict

    @property
    def link_func(self) -> Any:
        return self.tab_dict["link_func"]


class EnrolledTab(CourseTab):
    """Shown to learners enrolled in the course and to staff."""

    @classmethod
    def is_enabled(cls, course: Any, user: Any = None) -> bool:
        if user is None:
            return True
        return bool(CourseEnrollment.is_enrolled(user, course.id) or getattr(user, "is_staff", False))
