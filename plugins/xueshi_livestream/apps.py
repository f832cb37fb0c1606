"""Django app config for ``xueshi_livestream``, wired into the LMS and Studio by ``plugin_app``."""

from __future__ import annotations

from django.apps import AppConfig

LMS = "lms.djangoapp"
CMS = "cms.djangoapp"
_SETTINGS = {
    "common": {"relative_path": "settings.common"},
    "production": {"relative_path": "settings.common"},
    "devstack": {"relative_path": "settings.common"},
    "test": {"relative_path": "settings.common"},
}


class LiveStreamConfig(AppConfig):
    """Live lessons (直播): provider adapters, signed URLs, stream callbacks, on-air intervals, recordings."""

    name = "xueshi_livestream"
    label = "xueshi_livestream"
    verbose_name = "Xueshi live lessons (学时·直播)"
    default_auto_field = "django.db.models.BigAutoField"
    # The demo course's live lessons (only with a provider configured: ``make sandbox`` has one).
    xueshi_demo_hook = "xueshi_livestream.demo.seed_demo_live"

    plugin_app = {
        # The provider calls the LMS back; Studio only saves the schedule (through the block).
        "url_config": {
            LMS: {"namespace": "xueshi_livestream", "regex": r"^xueshi/live/", "relative_path": "urls"}
        },
        "settings_config": {LMS: _SETTINGS, CMS: _SETTINGS},
    }
