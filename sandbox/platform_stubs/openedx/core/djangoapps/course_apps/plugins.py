"""Stand-in for ``openedx.core.djangoapps.course_apps.plugins.CourseApp`` (Studio's Pages & Resources)."""

from __future__ import annotations

from abc import ABC


class CourseApp(ABC):  # noqa: B024 — the platform's class has no abstract methods either
    """A course app: ``app_id``, ``name``, ``description`` and four class methods subclasses define."""

    app_id = ""
    name = ""
    description = ""
