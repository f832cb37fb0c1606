"""Django app config for ``xueshi_notify``, wired into the LMS by ``plugin_app``."""

from __future__ import annotations

from django.apps import AppConfig

LMS = "lms.djangoapp"
_SETTINGS = {
    "common": {"relative_path": "settings.common"},
    "production": {"relative_path": "settings.common"},
    "devstack": {"relative_path": "settings.common"},
    "test": {"relative_path": "settings.common"},
}


class NotifyConfig(AppConfig):
    """Notifications by email, SMS and WeChat: learners' choices, templates, a send log."""

    name = "xueshi_notify"
    label = "xueshi_notify"
    verbose_name = "Xueshi notifications (学时·消息通知)"
    default_auto_field = "django.db.models.BigAutoField"

    plugin_app = {
        "url_config": {
            LMS: {"namespace": "xueshi_notify", "regex": r"^xueshi/notify/", "relative_path": "urls"},
        },
        "settings_config": {LMS: _SETTINGS},
    }
