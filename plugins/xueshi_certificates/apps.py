"""Django app config for ``xueshi_certificates``, wired into the LMS by ``plugin_app``."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from xueshi_core.coursetabs import CourseTabLink
from xueshi_core.data import retirement_receiver
from xueshi_core.menus import LEARNERS, MANAGE, MenuEntry
from xueshi_core.permissions import MANAGE_CERTIFICATES

LMS = "lms.djangoapp"


class CertificatesConfig(AppConfig):
    """Certificates: serials, PDFs, signed credentials, revocation and public verification."""

    name = "xueshi_certificates"
    label = "xueshi_certificates"
    verbose_name = "Xueshi certificates (学时·证书)"
    default_auto_field = "django.db.models.BigAutoField"
    #: Header menu entries (``xueshi_core.menus``), shown by the one permission API.
    xueshi_menu = (
        MenuEntry(
            "certificates", ("xueshi_certificates:mine",), _("My certificates"), audience=LEARNERS, order=40
        ),
        MenuEntry(
            "certificates-staff",
            ("xueshi_certificates:staff-list",),
            _("Certificates"),
            MANAGE,
            MANAGE_CERTIFICATES,
            order=40,
        ),
    )

    #: A course tab to 我的证书 on courses with hours (``xueshi_core.coursetabs``, ADR 0181).
    xueshi_course_tabs = (
        CourseTabLink(
            "xueshi_certificates",
            gettext_noop("My certificates"),
            "xueshi_certificates:mine",
            priority=76,
            shown_for_course="xueshi_hours.api.has_course_hours",
        ),
    )

    #: The learner's certificates in the learning archive (``xueshi_hours``, ADR 0115).
    xueshi_archive_hook = "xueshi_certificates.archive_entries.archive_entries"
    #: Called by ``manage.py lms xueshi_demo``, after the profiles and hours it builds on.
    xueshi_demo_hook = "xueshi_certificates.demo.seed_demo_certificate"
    xueshi_demo_order = 10

    # Pages and the public verification live in the LMS only (Studio has no learners).
    plugin_app: dict[str, object] = {
        "url_config": {
            LMS: {"namespace": "xueshi_certificates", "regex": r"^", "relative_path": "urls"},
        },
        # The look-up captcha's app and defaults (ADR 0182).
        "settings_config": {LMS: {"common": {"relative_path": "settings.common"}}},
        # Retirement masks the holder's name and keeps the certificate verifiable (ADR 0127).
        "signals_config": {
            LMS: {"relative_path": "retirement", "receivers": [retirement_receiver("xueshi_certificates")]},
        },
    }

    def ready(self) -> None:
        """Register the system checks (signing keys, serial prefix)."""
        from . import checks  # noqa: F401
