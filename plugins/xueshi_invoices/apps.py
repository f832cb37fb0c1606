"""Django app config for ``xueshi_invoices``, wired into the LMS by ``plugin_app``."""

from __future__ import annotations

from django.apps import AppConfig


class InvoicesConfig(AppConfig):
    """E-invoices (数电发票): requests after payment, issuing via a provider, red-letter on refund, files."""

    name = "xueshi_invoices"
    label = "xueshi_invoices"
    verbose_name = "Xueshi e-invoices (学时·电子发票)"
    default_auto_field = "django.db.models.BigAutoField"

    plugin_app: dict[str, object] = {}
