"""Django app config for ``xueshi_studytime``, wired into the LMS and Studio by ``plugin_app``."""

from __future__ import annotations

from django.apps import AppConfig

from xueshi_core.data import retention_receiver, retirement_receiver

LMS = "lms.djangoapp"
CMS = "cms.djangoapp"
_SETTINGS = {
    "common": {"relative_path": "settings.common"},
    "production": {"relative_path": "settings.production"},
    "devstack": {"relative_path": "settings.devstack"},
    "test": {"relative_path": "settings.test"},
}


class StudyTimeConfig(AppConfig):
    """The study-time ledger: playback sessions, leases, heartbeats, credited seconds."""

    name = "xueshi_studytime"
    label = "xueshi_studytime"
    verbose_name = "Xueshi study-time ledger (学时·学习时长台账)"
    default_auto_field = "django.db.models.BigAutoField"

    plugin_app = {
        "url_config": {
            LMS: {
                "namespace": "xueshi_studytime",
                "regex": r"^api/xueshi/studytime/",
                "relative_path": "rest_api.urls",
            },
        },
        "settings_config": {LMS: _SETTINGS, CMS: _SETTINGS},
        "signals_config": {
            LMS: {
                "relative_path": "retirement",
                "receivers": [
                    retirement_receiver("xueshi_studytime"),
                    retention_receiver("xueshi_studytime"),
                ],
            }
        },
    }

    def ready(self) -> None:
        """Connect our own receivers (completion from coverage); they need no platform import."""
        from . import handlers  # noqa: F401
