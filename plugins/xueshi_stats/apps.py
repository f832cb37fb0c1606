"""Django app config for ``xueshi_stats``, wired into the LMS and Studio by ``plugin_app``."""

from __future__ import annotations

from django.apps import AppConfig


class StatsConfig(AppConfig):
    """Regional statistics: roll-ups, supervisor figures, queries and exports."""

    name = "xueshi_stats"
    label = "xueshi_stats"
    verbose_name = "Xueshi statistics (学时·统计)"
    default_auto_field = "django.db.models.BigAutoField"

    plugin_app: dict[str, object] = {}
