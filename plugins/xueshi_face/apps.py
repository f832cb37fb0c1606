"""Django app config for ``xueshi_face``, wired into the LMS and Studio by ``plugin_app``."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from xueshi_core.data import retention_receiver, retirement_receiver
from xueshi_core.menus import LEARNERS, MANAGE, MenuEntry
from xueshi_core.permissions import MANAGE_FACE

LMS = "lms.djangoapp"
CMS = "cms.djangoapp"
_SETTINGS = {
    "common": {"relative_path": "settings.common"},
    "production": {"relative_path": "settings.production"},
    "devstack": {"relative_path": "settings.devstack"},
    "test": {"relative_path": "settings.test"},
}


class FaceConfig(AppConfig):
    """Face checks: enrolment, checks at sign-in and during study, engines, records."""

    name = "xueshi_face"
    #: Header menu entries (``xueshi_core.menus``), shown by the one permission API.
    xueshi_menu = (
        MenuEntry("face-photo", ("xueshi_face:enrol",), _("My face photo"), audience=LEARNERS, order=30),
        MenuEntry(
            "face-review",
            ("xueshi_face:review-queue",),
            _("Face photo review"),
            MANAGE,
            MANAGE_FACE,
            order=50,
        ),
    )
    #: Called by ``manage.py lms xueshi_demo`` (xueshi_core.demo.run_demo_hooks).
    xueshi_demo_hook = "xueshi_face.demo.seed_demo_face_checks"
    label = "xueshi_face"
    verbose_name = "Xueshi face checks (学时·人脸核验)"
    default_auto_field = "django.db.models.BigAutoField"

    plugin_app = {
        "url_config": {
            LMS: {"namespace": "xueshi_face", "regex": r"^xueshi/face/", "relative_path": "urls"},
        },
        "settings_config": {LMS: _SETTINGS, CMS: _SETTINGS},
        "signals_config": {
            LMS: {
                "relative_path": "retirement",
                "receivers": [retirement_receiver("xueshi_face"), retention_receiver("xueshi_face")],
            }
        },
    }

    def ready(self) -> None:
        """Connect receivers: playback opened (random checks) and sign-in (the sign-in check)."""
        from django.contrib.auth.signals import user_logged_in

        from xueshi_studytime.signals import PLAYBACK_SESSION_OPENED

        from . import handlers

        PLAYBACK_SESSION_OPENED.connect(handlers.playback_opened, dispatch_uid="xueshi_face.playback_opened")
        user_logged_in.connect(handlers.signed_in, dispatch_uid="xueshi_face.signed_in")
