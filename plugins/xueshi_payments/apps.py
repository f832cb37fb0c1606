"""Django app config for ``xueshi_payments``, wired into the LMS by ``plugin_app``.

The enrolment filter step is registered by the settings layers (``settings.wiring``), the beat
task by ``settings.common``; pages live under ``/xueshi/payments/``.
"""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from xueshi_core.menus import LEARNERS, MANAGE, MenuEntry
from xueshi_core.permissions import ORDER_FOR_STAFF, VIEW_ORDERS

LMS = "lms.djangoapp"
CMS = "cms.djangoapp"
_SETTINGS = {
    "common": {"relative_path": "settings.common"},
    "production": {"relative_path": "settings.production"},
    "devstack": {"relative_path": "settings.devstack"},
    "test": {"relative_path": "settings.test"},
}


class PaymentsConfig(AppConfig):
    """Paid enrolment: products, orders, WeChat Pay, Alipay, transfers, refunds, reconciliation."""

    name = "xueshi_payments"
    label = "xueshi_payments"
    verbose_name = "Xueshi payments (学时·支付)"
    default_auto_field = "django.db.models.BigAutoField"
    #: Header menu entries (``xueshi_core.menus``), shown by the one permission API.
    xueshi_menu = (
        MenuEntry("my-orders", ("xueshi_payments:my-orders",), _("My orders"), audience=LEARNERS, order=40),
        MenuEntry("orders", ("xueshi_payments:manage",), _("Orders"), MANAGE, VIEW_ORDERS, order=60),
        MenuEntry(
            "refund-requests",
            ("xueshi_payments:refund-requests",),
            _("Refund requests"),
            MANAGE,
            VIEW_ORDERS,
            order=61,
        ),
        MenuEntry(
            "employer-orders",
            ("xueshi_payments:employer",),
            _("Employer orders"),
            MANAGE,
            ORDER_FOR_STAFF,
            order=59,
        ),
        MenuEntry(
            "reconciliation", ("xueshi_payments:recon",), _("Reconciliation"), MANAGE, VIEW_ORDERS, order=62
        ),
    )
    #: Called by ``manage.py lms xueshi_demo`` (xueshi_core.demo.run_demo_hooks).
    xueshi_demo_hook = "xueshi_payments.demo.seed_paid_demo_course"

    plugin_app = {
        "url_config": {
            LMS: {"namespace": "xueshi_payments", "regex": r"^xueshi/payments/", "relative_path": "urls"},
        },
        "settings_config": {LMS: _SETTINGS},
    }
