"""Refunds: asked by an operator with a reason, sent with the same refund number until final.

``request_refund`` freezes a ``Refund`` under the order lock (the amount can never exceed what is
left); ``send_refund`` asks the channel, outside any lock, and is safe to repeat (the providers
treat a repeated refund number as the same refund). The result, from the answer, a query or a
refund notice, is applied once by ``apply_result`` under the order lock. A full refund moves the
order to ``refunded`` and, when ``XUESHI_PAYMENTS_UNENROL_ON_FULL_REFUND`` is on, unenrols it.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from . import conf, orders, signals, states
from .channels import base, registry
from .models import Order, Refund

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 20


class RefundRefused(ValueError):
    """A refund that cannot be asked (state, amount, reason); nothing was created."""


def _outstanding(order: Order) -> int:
    """Fen still refundable: paid amount minus refunds done or under way."""
    taken = order.refunds.exclude(state=Refund.FAILED).aggregate(total=Sum("amount_fen"))["total"] or 0
    return int(order.amount_fen - taken)


def request_refund(order_no: str, amount_fen: int, reason: str, actor: Any) -> Refund:
    """Create a refund of ``amount_fen`` (≤ what is left); raise ``RefundRefused`` otherwise."""
    reason = reason.strip()
    if not reason:
        raise RefundRefused("a refund needs a reason")
    with transaction.atomic():
        order = orders.locked(order_no)
        if order is None:
            raise RefundRefused("no such order")
        if order.state not in states.REFUNDABLE:
            raise RefundRefused(f"an order in state {order.state} cannot be refunded")
        left = _outstanding(order)
        if amount_fen <= 0 or amount_fen > left:
            raise RefundRefused(f"the amount must be between 1 and {left} fen")
        if order.state == states.ATTENTION and amount_fen != left:
            raise RefundRefused("an order needing attention is refunded in full or resolved")
        number = order.refunds.count() + 1
        return Refund.objects.create(
            refund_no=f"{order.order_no}R{number:02d}",
            order=order,
            amount_fen=amount_fen,
            reason=reason[:80],
            requested_by=actor,
        )


def send_refund(refund_no: str) -> str:
    """Ask the channel (again) for the refund; return the refund's state afterwards."""
    refund = Refund.objects.select_related("order").get(refund_no=refund_no)
    if refund.state in (Refund.SUCCEEDED, Refund.FAILED):
        return refund.state
    order = refund.order
    try:
        channel = registry.get(order.channel)
        if refund.state == Refund.PROCESSING:
            result = channel.query_refund(
                order.order_no,
                refund.refund_no,
                **base.refund_args(order.provider_sent_at, refund.provider_sent_at),
            )
        else:
            result = channel.refund(
                order.order_no,
                refund.refund_no,
                refund.amount_fen,
                order.amount_fen,
                refund.reason,
                **base.refund_args(order.provider_sent_at, refund.provider_sent_at),
            )
    except (base.ChannelError, registry.UnknownChannel) as exc:
        retryable = getattr(exc, "retryable", False)
        with transaction.atomic():
            row = Refund.objects.select_for_update().get(pk=refund.pk)
            row.attempts += 1
            row.last_error = str(exc)[:255]
            if not retryable or row.attempts >= MAX_ATTEMPTS:
                row.state, row.finished_at = Refund.FAILED, timezone.now()
            row.save(update_fields=["attempts", "last_error", "state", "finished_at"])
        return row.state
    if result.sent_at and not refund.provider_sent_at:  # kept once (ADR 0167): retries reuse it
        Refund.objects.filter(pk=refund.pk, provider_sent_at="").update(provider_sent_at=result.sent_at[:32])
    apply_result(refund.refund_no, result.state, result.raw)
    return str(Refund.objects.values_list("state", flat=True).get(pk=refund.pk))


def apply_result(refund_no: str, state: str, raw: str) -> str:
    """Record a provider's answer about a refund once (order lock, then refund lock)."""
    order_id = Refund.objects.filter(refund_no=refund_no).values_list("order_id", flat=True).first()
    if order_id is None:
        return "unknown_refund"
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        return _apply(order, Refund.objects.select_for_update().get(refund_no=refund_no), state, raw)


def apply_refund_event(order: Order, event: base.ProviderEvent) -> str:
    """A refund notice, inside ``process_event``'s transaction (the order is locked)."""
    refund = Refund.objects.select_for_update().filter(refund_no=event.refund_no, order=order).first()
    if refund is None:
        return "unknown_refund"
    state = "succeeded" if event.kind == base.REFUND_SUCCEEDED else "failed"
    return _apply(order, refund, state, event.raw)


def _apply(order: Order, refund: Refund, state: str, raw: str) -> str:
    if refund.state in (Refund.SUCCEEDED, Refund.FAILED):
        return f"refund_already_{refund.state}"
    refund.attempts += 1
    refund.raw = raw
    if state == "processing":
        refund.state = Refund.PROCESSING
        refund.save(update_fields=["attempts", "raw", "state"])
        return "refund_processing"
    refund.state = Refund.SUCCEEDED if state == "succeeded" else Refund.FAILED
    refund.finished_at = timezone.now()
    refund.save(update_fields=["attempts", "raw", "state", "finished_at"])
    if refund.state == Refund.FAILED:
        return "refund_failed"
    order.refunded_fen += refund.amount_fen
    order.save(update_fields=["refunded_fen"])
    full = order.refunded_fen >= order.amount_fen
    target = states.REFUNDED if full else states.PARTIALLY_REFUNDED
    reason = f"refund {refund.refund_no} of {refund.amount_fen} fen: {refund.reason}"
    orders.transition(order, target, reason, raw=raw, actor=refund.requested_by)
    done = signals.RefundSucceeded(
        order.order_no,
        refund.refund_no,
        int(refund.amount_fen),
        int(order.refunded_fen),
        int(order.amount_fen),
    )
    signals.send_on_commit(signals.REFUND_SUCCEEDED, done)
    if full and conf.unenrol_on_full_refund():
        from .enrolment import unenrol_lines

        unenrol_lines(order)
    return "refund_succeeded"


def retry_open_refunds(limit: int = 100) -> int:
    """Send every unfinished refund again (the beat task); return how many were tried."""
    numbers = list(
        Refund.objects.filter(state__in=(Refund.REQUESTED, Refund.PROCESSING)).values_list(
            "refund_no", flat=True
        )[:limit]
    )
    for number in numbers:
        send_refund(number)
    return len(numbers)
