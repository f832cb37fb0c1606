"""Links from a course to our pages: Open edX course tabs (LMS) and course apps (Studio).

Learners reach 我的学时 and 我的证书 from the course they study, the way the platform puts its own
Dates or Progress pages there: a dynamic course tab (entry point ``openedx.course_tab``; the
learning MFE lists it with the course's other tabs). Authors reach a course's hour settings from
Studio's *Pages & Resources*: a course app (entry point ``openedx.course_app``) whose settings link
is ours. ADR 0181.

Each app lists its links on its AppConfig (``xueshi_course_tabs``, ``xueshi_course_apps``), as it
lists menu entries; this module is pure (no platform import). ``compat.course_tab_class`` and
``compat.course_app_class`` wrap them in the platform's classes, lazily, when the platform loads
the entry point (``tab_plugin`` / ``app_plugin`` below, used through a module ``__getattr__``).
The sandbox's course page shows the same tabs through ``tabs_for``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class CourseTabLink:
    """A course tab of ours: ``tab_type`` is also its entry point name (the platform loads tabs by type)."""

    tab_type: str
    title: str  # an English msgid (gettext_noop); the platform and our pages translate it
    url_name: str  # a URL name; the course key is passed when ``with_course`` is set
    priority: int
    with_course: bool = False
    #: dotted path of ``(course_key: str) -> bool``: whether the course shows the tab at all
    shown_for_course: str = ""

    def url(self, course_key: str) -> str:
        """The tab's link for this course."""
        return reverse(self.url_name, args=[course_key] if self.with_course else [])

    def shown(self, course_key: str) -> bool:
        """Whether this course carries the tab (before the platform's enrolment check)."""
        if not self.shown_for_course:
            return True
        module, _, name = self.shown_for_course.rpartition(".")
        check: Callable[[str], bool] = getattr(importlib.import_module(module), name)
        return bool(check(course_key))


@dataclass(frozen=True)
class CourseAppLink:
    """A course app of ours in Studio's Pages & Resources; its settings page is ``url_name(course)``."""

    app_id: str
    name: str  # msgid
    description: str  # msgid
    url_name: str


def registered_tabs() -> list[CourseTabLink]:
    """Every installed app's ``xueshi_course_tabs``, by priority."""
    found = [t for c in apps.get_app_configs() for t in getattr(c, "xueshi_course_tabs", ())]
    return sorted(found, key=lambda t: (t.priority, t.tab_type))


def registered_apps() -> list[CourseAppLink]:
    """Every installed app's ``xueshi_course_apps``."""
    return [a for c in apps.get_app_configs() for a in getattr(c, "xueshi_course_apps", ())]


def tab(tab_type: str) -> CourseTabLink:
    """The registered tab of this type (``LookupError`` if none)."""
    for link in registered_tabs():
        if link.tab_type == tab_type:
            return link
    raise LookupError(tab_type)


def tabs_for(user: Any, course_key: str) -> list[dict[str, str]]:
    """``[{type, title, url}]`` the user sees on this course (enrolled or staff), as the LMS would."""
    from django.utils.translation import gettext

    from . import compat

    if not getattr(user, "is_authenticated", False):
        return []
    if not (
        compat.is_enrolled(user, course_key) or user.is_staff or compat.is_course_staff(user, course_key)
    ):
        return []
    out = []
    for link in registered_tabs():
        try:
            if link.shown(course_key):
                out.append({"type": link.tab_type, "title": gettext(link.title), "url": link.url(course_key)})
        except NoReverseMatch:  # the app's URLs are not mounted in this service
            continue
    return out


def apps_for(course_key: str) -> list[dict[str, str]]:
    """``[{app_id, name, description, url}]``: our cards in Studio's Pages & Resources for this course."""
    from django.utils.translation import gettext

    out = []
    for link in registered_apps():
        try:
            url = reverse(link.url_name, args=[course_key])
        except NoReverseMatch:
            continue
        out.append(
            {
                "app_id": link.app_id,
                "name": gettext(link.name),
                "description": gettext(link.description),
                "url": url,
            }
        )
    return out


def tab_plugin(tab_type: str) -> type:
    """The platform course-tab class for one of our tabs (what the entry point resolves to)."""
    from . import compat

    return compat.course_tab_class(tab(tab_type))


def app_plugin(app_id: str) -> type:
    """The platform course-app class for one of our course apps."""
    from . import compat

    for link in registered_apps():
        if link.app_id == app_id:
            return compat.course_app_class(link)
    raise LookupError(app_id)
