"""Django app config for ``xueshi_payments``, wired into the LMS and Studio by ``plugin_app``."""

from __future__ import annotations

from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    """Paid enrolment: products, orders, WeChat Pay, Alipay, transfers, refunds, reconciliation."""

    name = "xueshi_payments"
    label = "xueshi_payments"
    verbose_name = "Xueshi payments (学时·支付)"
    default_auto_field = "django.db.models.BigAutoField"

    plugin_app: dict[str, object] = {}
