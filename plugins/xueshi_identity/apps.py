"""Django app config for ``xueshi_identity``, wired into the LMS (and Studio) by ``plugin_app``."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from xueshi_core.data import retention_receiver, retirement_receiver
from xueshi_core.menus import LEARNERS, MANAGE, MenuEntry
from xueshi_core.permissions import VIEW_LEARNERS

LMS = "lms.djangoapp"
CMS = "cms.djangoapp"
_LMS_SETTINGS = {
    "common": {"relative_path": "settings.common"},
    "production": {"relative_path": "settings.production"},
    "devstack": {"relative_path": "settings.devstack"},
    "test": {"relative_path": "settings.test"},
}
# Studio has no learners to gate and no registration: only the model defaults.
_CMS_SETTINGS = {"common": {"relative_path": "settings.studio"}}
_RETIREMENT = {
    "relative_path": "retirement",
    "receivers": [retirement_receiver("xueshi_identity"), retention_receiver("xueshi_identity")],
}


class IdentityConfig(AppConfig):
    """Real-name profiles: collection at registration and before study, validation, staff import."""

    name = "xueshi_identity"
    #: Header menu entries (``xueshi_core.menus``), shown by the one permission API.
    xueshi_menu = (
        MenuEntry(
            "real-name", ("xueshi_identity:profile",), _("Real-name profile"), audience=LEARNERS, order=20
        ),
        MenuEntry(
            "learners",
            ("xueshi_identity:staff-list",),
            _("Learners' real names"),
            MANAGE,
            VIEW_LEARNERS,
            order=10,
        ),
    )
    label = "xueshi_identity"
    verbose_name = "Xueshi real-name identity (学时·实名认证)"
    default_auto_field = "django.db.models.BigAutoField"
    #: Called by ``manage.py lms xueshi_demo`` (xueshi_core.demo.run_demo_hooks).
    xueshi_demo_hook = "xueshi_identity.demo.seed_demo_profiles"

    plugin_app = {
        "url_config": {
            LMS: {"namespace": "xueshi_identity", "regex": r"^", "relative_path": "urls"},
        },
        "settings_config": {LMS: _LMS_SETTINGS, CMS: _CMS_SETTINGS},
        "signals_config": {LMS: _RETIREMENT},
    }

    def ready(self) -> None:
        """Forget cached gate answers when a profile changes; record the consent its form carried."""
        from django.db.models.signals import post_delete, post_save

        from . import consent, gatecache
        from .models import IdentityProfile

        post_save.connect(
            consent.record_after_save, sender=IdentityProfile, dispatch_uid="xueshi_identity.consent_saved"
        )
        forget = gatecache.on_profile_changed
        post_save.connect(forget, sender=IdentityProfile, dispatch_uid="xueshi_identity.gate_saved")
        post_delete.connect(forget, sender=IdentityProfile, dispatch_uid="xueshi_identity.gate_deleted")
