"""Django app config for ``xueshi_hours``, wired into the LMS and Studio by ``plugin_app``."""

from __future__ import annotations

from django.apps import AppConfig


class HoursConfig(AppConfig):
    """Study hours: rule sets per region and category, course hours, hour accounts, the learning archive."""

    name = "xueshi_hours"
    label = "xueshi_hours"
    verbose_name = "Xueshi study hours (学时·学时规则与档案)"
    default_auto_field = "django.db.models.BigAutoField"

    plugin_app: dict[str, object] = {}
