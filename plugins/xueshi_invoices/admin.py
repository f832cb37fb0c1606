"""Admin: seller profiles are operator settings (tax number, rate, drawer); the rest is read-only."""

from __future__ import annotations

from django.contrib import admin

from .models import InvoiceRequest, SellerProfile


@admin.register(SellerProfile)
class SellerProfileAdmin(admin.ModelAdmin):
    """Who invoices are issued as; the VAT rate is the tax adviser's answer (docs/operators/invoices.md)."""

    list_display = ("name", "tax_number", "rate_bp", "drawer", "is_default", "auto_issue_personal")


@admin.register(InvoiceRequest)
class InvoiceRequestAdmin(admin.ModelAdmin):
    """Looked at, never edited here: operators act on the invoices page."""

    list_display = ("serial", "buyer_name", "state", "gross_fen", "created_at")
    search_fields = ("serial", "buyer_name", "buyer_tax_id")
    list_filter = ("state", "title_kind")

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        """Read-only: states change only through the issuing steps."""
        return False

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        """Requests come from buyers' forms only."""
        return False
