"""Django app config for ``xueshi_core``, wired into the LMS and Studio by ``plugin_app``.

Everything is named by dotted string so that the platform is never imported here
(the same pattern as openedx/completion ``completion/apps.py``).
"""

from __future__ import annotations

from django.apps import AppConfig

from .data import retirement_receiver

LMS = "lms.djangoapp"
CMS = "cms.djangoapp"
_SETTINGS = {
    "common": {"relative_path": "settings.common"},
    "production": {"relative_path": "settings.production"},
    "devstack": {"relative_path": "settings.devstack"},
    "test": {"relative_path": "settings.test"},
}
_RECEIVERS_ANY = [
    {
        "receiver_func_name": "ensure_roles_after_migrate",
        "signal_path": "django.db.models.signals.post_migrate",
        "dispatch_uid": "xueshi_core.ensure_roles_after_migrate",
    },
    {
        "receiver_func_name": "freeze_heap_when_warm",
        "signal_path": "django.core.signals.request_started",
        "dispatch_uid": "xueshi_core.freeze_heap_when_warm",
    },
    {
        "receiver_func_name": "forget_caller_on_user_save",
        "signal_path": "django.db.models.signals.post_save",
        "sender_path": "django.contrib.auth.models.User",
        "dispatch_uid": "xueshi_core.forget_caller_on_user_save",
    },
]
#: Open edX's retirement pipeline runs in the LMS; the signal's module is imported by the plugin
#: framework from this dotted path, never by our code (ADR 0060).
PLATFORM_RETIREMENT_SIGNAL = "openedx.core.djangoapps.user_api.accounts.signals.USER_RETIRE_LMS_CRITICAL"
_RECEIVERS_LMS = [
    {
        "receiver_func_name": "on_platform_retirement",
        "signal_path": PLATFORM_RETIREMENT_SIGNAL,
        "dispatch_uid": "xueshi_core.on_platform_retirement",
    },
    retirement_receiver("xueshi_core", "pseudonymise_audit_views"),
    retirement_receiver("xueshi_core", "pseudonymise_consents"),
]


class XueshiCoreConfig(AppConfig):
    """Shared foundations of Xueshi: roles, Asia/Shanghai days, platform shim, status page."""

    name = "xueshi_core"
    label = "xueshi_core"
    verbose_name = "Xueshi core (学时·核心)"
    default_auto_field = "django.db.models.BigAutoField"

    plugin_app = {
        "url_config": {
            LMS: {"namespace": "xueshi_core", "regex": r"^xueshi/", "relative_path": "urls"},
            CMS: {"namespace": "xueshi_core", "regex": r"^xueshi/", "relative_path": "urls"},
        },
        "settings_config": {LMS: _SETTINGS, CMS: _SETTINGS},
        "signals_config": {
            LMS: {"relative_path": "signals", "receivers": _RECEIVERS_ANY + _RECEIVERS_LMS},
            CMS: {"relative_path": "signals", "receivers": _RECEIVERS_ANY},
        },
    }
