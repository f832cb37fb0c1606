"""Django app config for ``xueshi_reporting``, wired into the LMS by ``plugin_app``."""

from __future__ import annotations

from django.apps import AppConfig

LMS = "lms.djangoapp"
_SETTINGS = {
    "common": {"relative_path": "settings.common"},
    "production": {"relative_path": "settings.common"},
    "devstack": {"relative_path": "settings.common"},
    "test": {"relative_path": "settings.common"},
}


class ReportingConfig(AppConfig):
    """Provincial reporting: canonical records, the outbox, adapters, register checks, the sharing API."""

    name = "xueshi_reporting"
    label = "xueshi_reporting"
    verbose_name = "Xueshi provincial reporting (学时·数据上报)"
    default_auto_field = "django.db.models.BigAutoField"

    plugin_app = {
        "url_config": {
            LMS: {"namespace": "xueshi_reporting", "regex": r"^xueshi/reporting/", "relative_path": "urls"},
        },
        "settings_config": {LMS: _SETTINGS},
    }
