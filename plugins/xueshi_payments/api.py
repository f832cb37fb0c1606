"""What other parts (the course page, later invoices) may ask payments: through here only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.urls import reverse

from . import compat, products, states
from .models import Order, Refund
from .pipeline import paid_line


def course_offer(user: Any, course_key: Any) -> dict[str, Any] | None:
    """The price and buy link of a paid run for the course page; None for a free run.

    ``paid`` says the learner already has a paid line (the page then offers to enrol or study).
    """
    price = products.course_price(course_key)
    if price is None:
        return None
    signed_in = bool(getattr(user, "is_authenticated", False))
    return {
        "price_fen": price.price_fen,
        "price": products.yuan(price.price_fen),
        "mode": price.slug,
        "checkout_url": reverse("xueshi_payments:checkout", kwargs={"course_key": str(course_key)}),
        "paid": bool(signed_in and paid_line(user, course_key)),
    }


# --- read functions for invoicing (xueshi_invoices reads orders only through these) ---


@dataclass(frozen=True)
class InvoiceLine:
    """One order line as an invoice needs it: the course's name and what was paid for it."""

    course_key: str
    course_name: str
    learner_id: int
    price_fen: int


@dataclass(frozen=True)
class InvoiceRefund:
    """A refund whose money went back (only succeeded refunds are listed)."""

    refund_no: str
    amount_fen: int
    finished_at: datetime | None


@dataclass(frozen=True)
class OrderForInvoice:
    """What invoicing needs of an order: payer, lines in order, amounts in fen, paid time, refunds."""

    order_no: str
    payer_id: int
    title: str
    state: str
    amount_fen: int
    refunded_fen: int
    paid_at: datetime | None
    money_received: bool
    lines: tuple[InvoiceLine, ...]
    refunds: tuple[InvoiceRefund, ...]


def _summary(order: Order) -> OrderForInvoice:
    titles: dict[str, str] = {}
    lines = []
    for row in order.lines.order_by("id"):
        if row.course_key not in titles:
            titles[row.course_key] = compat.course_title(row.course_key) or order.title or row.course_key
        name = titles[row.course_key]
        lines.append(InvoiceLine(row.course_key, name, int(row.learner_id), int(row.price_fen)))
    refunds = tuple(
        InvoiceRefund(r.refund_no, int(r.amount_fen), r.finished_at)
        for r in order.refunds.filter(state=Refund.SUCCEEDED).order_by("finished_at", "id")
    )
    return OrderForInvoice(
        order_no=order.order_no,
        payer_id=int(order.payer_id),
        title=order.title,
        state=order.state,
        amount_fen=int(order.amount_fen),
        refunded_fen=int(order.refunded_fen),
        paid_at=order.paid_at,
        money_received=order.state in states.MONEY_RECEIVED or order.state == states.REFUNDED,
        lines=tuple(lines),
        refunds=refunds,
    )


def order_for_invoice(order_no: str) -> OrderForInvoice | None:
    """The order ``order_no`` summarised for invoicing; None if there is no such order."""
    order = Order.objects.filter(order_no=order_no).first()
    return None if order is None else _summary(order)


def paid_orders_of(payer_id: int, limit: int = 100) -> list[OrderForInvoice]:
    """The payer's orders whose money arrived (newest first), for "request an invoice"."""
    rows = Order.objects.filter(payer_id=payer_id, paid_at__isnull=False).order_by("-paid_at")[:limit]
    return [_summary(order) for order in rows]
