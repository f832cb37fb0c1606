"""One effect per payment: ``process_event`` applies a verified provider fact exactly once.

A notice, the browser's return, an active query and a duplicated or reordered notice may all
arrive at once, in different processes. Each call:

1. locks the order row (``SELECT … FOR UPDATE``), so facts about one order apply one at a time;
2. stores the event under the unique (provider, event id): a second copy fails the insert and
   changes nothing (``duplicate``);
3. compares amount, channel, merchant and app id with the frozen order: a mismatch puts a payable
   order in "needs attention" for an operator and pays nothing;
4. marks the order paid (recording the transition with the raw message) and commits;
5. enrols the order's lines (``enrolment.enrol_order``), each exactly once under its own lock.

Paid and enrolled are two commits on purpose: money received is never rolled back because an
enrolment failed. If the process dies between them, the beat task (``tasks.sweep_orders``) finds
paid lines without enrolment and enrols them.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from . import enrolment, orders, refunds, states
from .channels import base, registry
from .models import Order, ProviderEvent

DUPLICATE = "duplicate"
UNKNOWN_ORDER = "unknown_order"
PAID = "paid"
MISMATCH = "mismatch"
ALREADY_PAID = "already_paid"
EXTRA_PAYMENT = "extra_payment"
PAID_AFTER_CLOSE = "paid_after_close"
WHILE_ATTENTION = "while_attention"
CLOSED = "closed"
STALE_CLOSE = "stale_close"
IGNORED = "ignored"


def process_event(event: base.ProviderEvent) -> str:
    """Apply ``event`` once; return what it did (one of this module's outcome names)."""
    with transaction.atomic():
        order = orders.locked(event.order_no)
        record = _store_once(event, order)
        if record is None:
            return DUPLICATE
        if order is None:
            outcome = UNKNOWN_ORDER
        elif event.kind == base.PAID:
            outcome = _paid(order, event)
        elif event.kind == base.CLOSED:
            outcome = _closed(order, event)
        elif event.kind in (base.REFUND_SUCCEEDED, base.REFUND_FAILED):
            outcome = refunds.apply_refund_event(order, event)
        else:
            outcome = IGNORED
        record.outcome = outcome
        record.save(update_fields=["outcome"])
    if outcome == PAID and order is not None:
        enrolment.enrol_order(order.order_no)
    return outcome


def _store_once(event: base.ProviderEvent, order: Order | None) -> ProviderEvent | None:
    """Insert the event row; None when this (provider, event id) is already stored."""
    try:
        with transaction.atomic():
            return ProviderEvent.objects.create(
                provider=event.provider[:32],
                event_id=event.event_id[:128],
                kind=event.kind[:32],
                order=order,
                order_no=event.order_no[:64],
                amount_fen=event.amount_fen,
                merchant_id=event.merchant_id[:64],
                app_id=event.app_id[:64],
                provider_trade_no=event.provider_trade_no[:64],
                refund_no=event.refund_no[:64],
                raw=event.raw,
            )
    except IntegrityError:
        return None


def mismatch(order: Order, event: base.ProviderEvent) -> str:
    """Why a payment event does not fit the frozen order ("" when it fits)."""
    if event.provider != order.channel:
        return f"paid through {event.provider}, ordered through {order.channel}"
    if event.amount_fen != order.amount_fen:
        return f"amount {event.amount_fen} fen, order {order.amount_fen} fen"
    try:
        merchant_id, app_id = registry.expected_ids(order.channel)
    except (registry.UnknownChannel, base.ChannelError):
        return f"channel {order.channel} is not configured"
    if merchant_id and event.merchant_id != merchant_id:
        return f"merchant {event.merchant_id!r} is not ours"
    if app_id and event.app_id != app_id:
        return f"app id {event.app_id!r} is not ours"
    return ""


def _paid(order: Order, event: base.ProviderEvent) -> str:
    problem = mismatch(order, event)
    if problem:
        if order.state in states.PAYABLE:
            order.attention_reason = problem[:255]
            order.save(update_fields=["attention_reason"])
            orders.transition(order, states.ATTENTION, problem, raw=event.raw)
        return MISMATCH
    if order.state in states.PAYABLE:
        order.provider_trade_no = event.provider_trade_no[:64]
        order.save(update_fields=["provider_trade_no"])
        orders.transition(order, states.PAID, f"{event.provider} reports payment", raw=event.raw)
        return PAID
    if order.state == states.CLOSED:
        order.provider_trade_no = event.provider_trade_no[:64]
        order.attention_reason = "paid after the order was closed"
        order.save(update_fields=["provider_trade_no", "attention_reason"])
        orders.transition(order, states.ATTENTION, order.attention_reason, raw=event.raw)
        return PAID_AFTER_CLOSE
    if order.state == states.ATTENTION:
        return WHILE_ATTENTION
    if not event.provider_trade_no or event.provider_trade_no == order.provider_trade_no:
        return ALREADY_PAID
    # A second, different payment of a paid order: money to give back, never a second enrolment.
    order.attention_reason = f"second payment {event.provider_trade_no[:64]}"
    order.save(update_fields=["attention_reason"])
    return EXTRA_PAYMENT


def _closed(order: Order, event: base.ProviderEvent) -> str:
    if order.state != states.PENDING:
        return STALE_CLOSE
    orders.transition(order, states.CLOSED, f"{event.provider} closed the trade", raw=event.raw)
    return CLOSED
