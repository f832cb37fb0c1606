"""Django app config for ``xueshi_reporting``, wired into the LMS by ``plugin_app``.

Subscribes in ``ready()`` to the hours and certificate signals (those apps never import us); the
beat sweep (collectors, then deliveries) comes from ``settings.common``.
"""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from xueshi_core.menus import MANAGE, MenuEntry
from xueshi_core.permissions import VIEW_REPORTING

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
    xueshi_menu = (
        MenuEntry(
            "reporting", ("xueshi_reporting:manage",), _("Reporting"), MANAGE, VIEW_REPORTING, order=66
        ),
    )

    #: Called by ``manage.py lms xueshi_demo`` (xueshi_core.demo.run_demo_hooks).
    xueshi_demo_hook = "xueshi_reporting.demo.seed_demo_destination"

    plugin_app = {
        "url_config": {
            LMS: {"namespace": "xueshi_reporting", "regex": r"^xueshi/reporting/", "relative_path": "urls"},
        },
        "settings_config": {LMS: _SETTINGS},
    }

    def ready(self) -> None:
        """Listen for hour changes, certificates, profiles, register answers and enrolments."""
        from django.db.models.signals import post_delete, post_save
        from openedx_events.learning.signals import COURSE_ENROLLMENT_CREATED, COURSE_UNENROLLMENT_COMPLETED

        from xueshi_certificates import signals as certificate_signals
        from xueshi_hours import api as hours
        from xueshi_identity import api as identity

        from . import outbox, receivers
        from .models import ApiClient, Destination
        from .receivers import on_certificate, on_hours_changed

        for model in (Destination, ApiClient):
            post_save.connect(
                outbox.forget_routes, sender=model, dispatch_uid=f"xr.routes.save.{model.__name__}"
            )
            post_delete.connect(
                outbox.forget_routes, sender=model, dispatch_uid=f"xr.routes.del.{model.__name__}"
            )
        identity.PROFILE_CHANGED.connect(
            receivers.on_profile_changed, dispatch_uid="xueshi_reporting.profile"
        )
        identity.REGISTER_CHECKED.connect(
            receivers.on_register_checked, dispatch_uid="xueshi_reporting.register"
        )
        COURSE_ENROLLMENT_CREATED.connect(
            receivers.on_enrollment_created, dispatch_uid="xueshi_reporting.enrolled"
        )
        COURSE_UNENROLLMENT_COMPLETED.connect(
            receivers.on_unenrollment_completed, dispatch_uid="xueshi_reporting.unenrolled"
        )

        hours.HOURS_CHANGED.connect(on_hours_changed, dispatch_uid="xueshi_reporting.hours")
        certificate_signals.CERTIFICATE_ISSUED.connect(
            on_certificate, dispatch_uid="xueshi_reporting.cert_issued"
        )
        certificate_signals.CERTIFICATE_REVOKED.connect(
            on_certificate, dispatch_uid="xueshi_reporting.cert_revoked"
        )
