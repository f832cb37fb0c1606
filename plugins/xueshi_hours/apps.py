"""Django app config for ``xueshi_hours``, wired into the LMS and Studio by ``plugin_app``."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from xueshi_core.coursetabs import CourseAppLink, CourseTabLink
from xueshi_core.data import retirement_receiver
from xueshi_core.menus import LEARNERS, MANAGE, MenuEntry
from xueshi_core.permissions import DECIDE_EXTERNAL_HOURS, MANAGE_HOURS_RULES

LMS = "lms.djangoapp"
CMS = "cms.djangoapp"
_SETTINGS = {
    "common": {"relative_path": "settings.common"},
    "production": {"relative_path": "settings.common"},
    "devstack": {"relative_path": "settings.common"},
    "test": {"relative_path": "settings.common"},
}
_URLS = {"namespace": "xueshi_hours", "regex": r"^xueshi/hours/", "relative_path": "urls"}


class HoursConfig(AppConfig):
    """Study hours: rule sets per region and category, course hours, hour accounts, the learning archive."""

    name = "xueshi_hours"
    label = "xueshi_hours"
    verbose_name = "Xueshi study hours (学时·学时规则与档案)"
    default_auto_field = "django.db.models.BigAutoField"
    #: Header menu entries (``xueshi_core.menus``), shown by the one permission API.
    xueshi_menu = (
        MenuEntry("my-hours", ("xueshi_hours:mine",), _("My study hours"), audience=LEARNERS, order=25),
        MenuEntry(
            "learning-archive", ("xueshi_hours:archive",), _("Learning archive"), audience=LEARNERS, order=26
        ),
        MenuEntry(
            "hour-rules", ("xueshi_hours:rules",), _("Hour rules"), MANAGE, MANAGE_HOURS_RULES, order=55
        ),
        MenuEntry(
            "external-hours",
            ("xueshi_hours:external-queue",),
            _("External hours to review"),
            MANAGE,
            DECIDE_EXTERNAL_HOURS,
            order=56,
        ),
    )
    #: Called by ``manage.py lms xueshi_demo`` (xueshi_core.demo.run_demo_hooks).
    #: A course tab to 我的学时 on courses with hours; Studio's Pages & Resources card opens the
    #: course's hour settings (``xueshi_core.coursetabs``, ADR 0181).
    xueshi_course_tabs = (
        CourseTabLink(
            "xueshi_hours",
            gettext_noop("My study hours"),
            "xueshi_hours:mine",
            priority=75,
            shown_for_course="xueshi_hours.api.has_course_hours",
        ),
    )
    xueshi_course_apps = (
        CourseAppLink(
            "xueshi_hours",
            gettext_noop("Study hours"),
            gettext_noop("Declared hours, category and where the course counts (学时)."),
            "xueshi_hours:course-settings",
        ),
    )
    xueshi_demo_hook = "xueshi_hours.demo.seed_demo_hours"

    plugin_app = {
        # Studio serves the course settings page (course teams edit there); the LMS serves everything.
        "url_config": {LMS: _URLS, CMS: _URLS},
        "settings_config": {LMS: _SETTINGS, CMS: _SETTINGS},
        "signals_config": {
            LMS: {"relative_path": "retirement", "receivers": [retirement_receiver("xueshi_hours")]},
        },
    }

    def ready(self) -> None:
        """A completed video block may complete a course: tell subscribers the learner's hours changed."""
        from xueshi_studytime.signals import VIDEO_COVERAGE_COMPLETED

        from . import handlers

        VIDEO_COVERAGE_COMPLETED.connect(handlers.coverage_completed, dispatch_uid="xueshi_hours.coverage")
