"""Django app config for ``xueshi_notify``, wired into the LMS by ``plugin_app``.

Pages live under ``/xueshi/notify/``; the beat sweep and the daily hours reminder come from
``settings.common``; receivers are connected in ``ready()`` to the typed signals of payments,
invoices, certificates, services and training projects (none of them imports notify).
"""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from xueshi_core.data import retirement_receiver
from xueshi_core.menus import LEARNERS, MANAGE, MenuEntry
from xueshi_core.permissions import VIEW_NOTIFICATIONS

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
    xueshi_menu = (
        MenuEntry(
            "my-notifications",
            ("xueshi_notify:preferences",),
            _("Notifications"),
            audience=LEARNERS,
            order=45,
        ),
        MenuEntry("send-log", ("xueshi_notify:log",), _("Send log"), MANAGE, VIEW_NOTIFICATIONS, order=66),
    )

    plugin_app = {
        "url_config": {
            LMS: {"namespace": "xueshi_notify", "regex": r"^xueshi/notify/", "relative_path": "urls"},
        },
        "settings_config": {LMS: _SETTINGS},
        "signals_config": {
            LMS: {"relative_path": "bindings", "receivers": [retirement_receiver("xueshi_notify")]},
        },
    }

    def ready(self) -> None:
        """Subscribe to the facts learners hear about."""
        from xueshi_certificates.signals import CERTIFICATE_ISSUED
        from xueshi_invoices.signals import INVOICE_ISSUED
        from xueshi_payments.signals import ORDER_PAID, REFUND_SUCCEEDED
        from xueshi_services.signals import TICKET_ANSWERED
        from xueshi_stats.signals import LEARNERS_MOVED, TRAINING_PROJECT_ANNOUNCED

        from . import receivers

        ORDER_PAID.connect(receivers.on_order_paid, dispatch_uid="xueshi_notify.order_paid")
        REFUND_SUCCEEDED.connect(receivers.on_refund_succeeded, dispatch_uid="xueshi_notify.refund")
        INVOICE_ISSUED.connect(receivers.on_invoice_issued, dispatch_uid="xueshi_notify.invoice")
        CERTIFICATE_ISSUED.connect(receivers.on_certificate_issued, dispatch_uid="xueshi_notify.certificate")
        TICKET_ANSWERED.connect(receivers.on_ticket_answered, dispatch_uid="xueshi_notify.ticket_answered")
        TRAINING_PROJECT_ANNOUNCED.connect(receivers.on_project_announced, dispatch_uid="xn.project")
        LEARNERS_MOVED.connect(receivers.on_learners_moved, dispatch_uid="xn.learners_moved")
