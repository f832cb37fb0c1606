"""Django app config for ``xueshi_services``, wired into the LMS by ``plugin_app``."""

from __future__ import annotations

from django.apps import AppConfig

LMS = "lms.djangoapp"
_SETTINGS = {
    "common": {"relative_path": "settings.common"},
    "production": {"relative_path": "settings.common"},
    "devstack": {"relative_path": "settings.common"},
    "test": {"relative_path": "settings.common"},
}


class ServicesConfig(AppConfig):
    """Learner services: the portal, course ratings, questionnaires, Q&A and complaints, My study."""

    name = "xueshi_services"
    label = "xueshi_services"
    verbose_name = "Xueshi learner services (学时·学员服务)"
    default_auto_field = "django.db.models.BigAutoField"

    plugin_app = {
        "url_config": {
            LMS: {"namespace": "xueshi_services", "regex": r"^xueshi/services/", "relative_path": "urls"},
        },
        "settings_config": {LMS: _SETTINGS},
    }
