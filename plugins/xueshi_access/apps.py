"""Django app config for ``xueshi_access``, wired into the LMS and Studio by ``plugin_app``.

Receivers are connected by dotted signal path (no platform import): Django's auth signals for
web sessions and failures, django-oauth-toolkit's ``app_authorized`` for the app's token grants.
"""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from xueshi_core.data import ACCOUNT_RETIRING_PATH, RETENTION_DUE_PATH
from xueshi_core.menus import MANAGE, MenuEntry
from xueshi_core.permissions import VIEW_AUDIT, VIEW_SUSPICIOUS_IPS

LMS = "lms.djangoapp"
CMS = "cms.djangoapp"
_SETTINGS = {
    "common": {"relative_path": "settings.common"},
    "production": {"relative_path": "settings.production"},
    "devstack": {"relative_path": "settings.devstack"},
    "test": {"relative_path": "settings.test"},
}


def _receiver(func: str, signal: str) -> dict[str, str]:
    return {"receiver_func_name": func, "signal_path": signal, "dispatch_uid": f"xueshi_access.{func}"}


_RECEIVERS = {
    "relative_path": "handlers",
    "receivers": [
        _receiver("on_user_logged_in", "django.contrib.auth.signals.user_logged_in"),
        _receiver("on_user_logged_out", "django.contrib.auth.signals.user_logged_out"),
        _receiver("on_user_login_failed", "django.contrib.auth.signals.user_login_failed"),
        _receiver("on_app_authorized", "oauth2_provider.signals.app_authorized"),
    ],
}
# Account retirement runs in the LMS only (ADR 0060).
_RECEIVERS_LMS = {
    "relative_path": "handlers",
    "receivers": [
        *_RECEIVERS["receivers"],
        _receiver("on_account_retiring", ACCOUNT_RETIRING_PATH),
        _receiver("purge_past_retention", RETENTION_DUE_PATH),
    ],
}


class AccessConfig(AppConfig):
    """One device at a time, the sign-in audit, throttling and suspicious-IP statistics."""

    name = "xueshi_access"
    #: Header menu entries (``xueshi_core.menus``), shown by the one permission API.
    xueshi_menu = (
        MenuEntry("audit", ("xueshi_access:audit",), _("Sign-in audit"), MANAGE, VIEW_AUDIT, order=30),
        MenuEntry(
            "suspicious",
            ("xueshi_access:suspicious",),
            _("Suspicious IPs"),
            MANAGE,
            VIEW_SUSPICIOUS_IPS,
            order=40,
        ),
    )
    label = "xueshi_access"
    verbose_name = "Xueshi access control (学时·登录与设备)"
    default_auto_field = "django.db.models.BigAutoField"

    plugin_app = {
        "url_config": {
            LMS: {"namespace": "xueshi_access", "regex": r"^xueshi/access/", "relative_path": "urls"},
            CMS: {"namespace": "xueshi_access", "regex": r"^xueshi/access/", "relative_path": "urls"},
        },
        "settings_config": {LMS: _SETTINGS, CMS: _SETTINGS},
        "signals_config": {LMS: _RECEIVERS_LMS, CMS: _RECEIVERS},
    }
