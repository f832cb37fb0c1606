"""Django app config for ``xueshi_invoices``, wired into the LMS by ``plugin_app``.

Pages live under ``/xueshi/invoices/``; the beat sweep comes from ``settings.common``; the
refund receiver is connected in ``ready()`` to payments' typed signal (payments never imports us).
"""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from xueshi_core.data import retirement_receiver
from xueshi_core.menus import LEARNERS, MANAGE, MenuEntry
from xueshi_core.permissions import VIEW_INVOICES

LMS = "lms.djangoapp"
_SETTINGS = {
    "common": {"relative_path": "settings.common"},
    "production": {"relative_path": "settings.common"},
    "devstack": {"relative_path": "settings.common"},
    "test": {"relative_path": "settings.common"},
}


class InvoicesConfig(AppConfig):
    """E-invoices (数电发票): requests after payment, issuing via a provider, red-letter on refund, files."""

    name = "xueshi_invoices"
    label = "xueshi_invoices"
    verbose_name = "Xueshi e-invoices (学时·电子发票)"
    default_auto_field = "django.db.models.BigAutoField"
    xueshi_menu = (
        MenuEntry("my-invoices", ("xueshi_invoices:mine",), _("My invoices"), audience=LEARNERS, order=41),
        MenuEntry("invoices", ("xueshi_invoices:manage",), _("Invoices"), MANAGE, VIEW_INVOICES, order=63),
    )

    #: Called by ``manage.py lms xueshi_demo`` (xueshi_core.demo.run_demo_hooks).
    xueshi_demo_hook = "xueshi_invoices.demo.seed_demo_seller"

    plugin_app = {
        "url_config": {
            LMS: {"namespace": "xueshi_invoices", "regex": r"^xueshi/invoices/", "relative_path": "urls"},
        },
        "settings_config": {LMS: _SETTINGS},
        "signals_config": {
            LMS: {"relative_path": "retirement", "receivers": [retirement_receiver("xueshi_invoices")]},
        },
    }

    def ready(self) -> None:
        """Listen for refunds (payments' typed signal)."""
        from xueshi_payments import signals

        from .receivers import on_refund_succeeded

        signals.REFUND_SUCCEEDED.connect(on_refund_succeeded, dispatch_uid="xueshi_invoices.red_on_refund")
