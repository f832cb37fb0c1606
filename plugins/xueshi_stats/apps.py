"""Django app config for ``xueshi_stats``, wired into the LMS and Studio by ``plugin_app``."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from xueshi_core.data import retention_receiver
from xueshi_core.menus import MANAGE, MenuEntry
from xueshi_core.permissions import MANAGE_SCOPES, VIEW_STATISTICS

LMS = "lms.djangoapp"
_SETTINGS = {
    "common": {"relative_path": "settings.common"},
    "production": {"relative_path": "settings.production"},
    "devstack": {"relative_path": "settings.devstack"},
    "test": {"relative_path": "settings.test"},
}


class StatsConfig(AppConfig):
    """Regional statistics: roll-ups, supervisor figures, queries and exports."""

    name = "xueshi_stats"
    label = "xueshi_stats"
    verbose_name = "Xueshi statistics (学时·统计)"
    default_auto_field = "django.db.models.BigAutoField"
    #: Header menu entries (``xueshi_core.menus``): supervisors, operators and auditors.
    xueshi_menu = (
        MenuEntry(
            "statistics", ("xueshi_stats:dashboard",), _("Statistics"), MANAGE, VIEW_STATISTICS, order=5
        ),
        MenuEntry(
            "supervisor-accounts",
            ("xueshi_stats:supervisors",),
            _("Supervisor accounts"),
            MANAGE,
            MANAGE_SCOPES,
            order=6,
        ),
    )
    #: Called by ``manage.py lms xueshi_demo`` (xueshi_core.demo.run_demo_hooks).
    xueshi_demo_hook = "xueshi_stats.demo.seed_demo_statistics"

    plugin_app: dict[str, object] = {
        "url_config": {LMS: {"namespace": "xueshi_stats", "regex": r"^", "relative_path": "urls"}},
        "settings_config": {LMS: _SETTINGS},
        "signals_config": {
            LMS: {"relative_path": "retention", "receivers": [retention_receiver("xueshi_stats")]},
        },
    }

    def ready(self) -> None:
        """Subscribe to the platform's enrolment events (openedx-events, no platform import)."""
        from . import enrolments

        enrolments.connect()
