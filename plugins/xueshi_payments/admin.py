"""Admin: bundles (products of ours) are edited here; money records are read-only evidence.

Orders, lines, transitions, provider events and refunds change only through the order logic
(locks and the state table); the admin shows them for searching, never for editing.
"""

from __future__ import annotations

from django.contrib import admin

from xueshi_core.readonly_admin import ReadOnlyAdmin

from .models import Order, OrderTransition, Product, ProviderEvent, Refund


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    """Bundles: a code, a title, the course runs they enrol in and their price in fen."""

    list_display = ("code", "kind", "title", "price_fen", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "title")


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    """Orders as recorded; operators act on the orders page."""

    list_display = ("order_no", "payer", "amount_fen", "channel", "state", "created_at")
    list_filter = ("state", "channel")
    search_fields = ("order_no", "payer__username", "provider_trade_no")


@admin.register(OrderTransition)
class OrderTransitionAdmin(ReadOnlyAdmin):
    """Every move of every order."""

    list_display = ("order", "from_state", "to_state", "reason", "actor", "at")
    search_fields = ("order__order_no",)


@admin.register(ProviderEvent)
class ProviderEventAdmin(ReadOnlyAdmin):
    """Every verified provider fact, once."""

    list_display = ("provider", "event_id", "kind", "order_no", "amount_fen", "outcome", "received_at")
    search_fields = ("order_no", "event_id", "provider_trade_no")


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    """Refunds and their attempts."""

    list_display = ("refund_no", "order", "amount_fen", "state", "attempts", "created_at")
    search_fields = ("refund_no", "order__order_no")
