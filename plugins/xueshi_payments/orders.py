"""Creating frozen orders and moving their state, the one place ``Order.state`` is written.

``transition`` must be called with the order row locked (``locked``), inside the caller's
transaction; it checks the move against ``states.TRANSITIONS`` and records it. Closing an unpaid
employer order deactivates the unused accounts its list created, in the same transaction. Order numbers are
``XS`` + the UTC time + random letters: 6–32 characters of ``[0-9A-Z]``, valid for WeChat Pay
(``out_trade_no``), Alipay and the bank-transfer reference a payer writes on the transfer.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from . import employer_accounts, signals, states
from .models import Order, OrderLine, OrderTransition
from .products import Offer

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: payers copy it onto transfers


def new_order_no() -> str:
    """A fresh order number, e.g. ``XS20261204203000K7QF2M9A`` (24 characters)."""
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    return "XS" + stamp + "".join(secrets.choice(_ALPHABET) for _ in range(8))


def create_order(
    payer: Any, offer: Offer, learners: Iterable[Any], channel: str, scene: str, lifetime: timedelta
) -> Order:
    """Freeze an order: amount, lines (one per learner and run), payer, channel, expiry."""
    learners = list(learners)
    with transaction.atomic():
        order = Order.objects.create(
            order_no=new_order_no(),
            payer=payer,
            product=offer.product,
            title=offer.title[:127],
            amount_fen=offer.amount_fen * len(learners),
            channel=channel,
            scene=scene,
            expires_at=timezone.now() + lifetime,
        )
        OrderLine.objects.bulk_create(
            OrderLine(order=order, learner=learner, course_key=key, mode=mode, price_fen=price)
            for learner in learners
            for key, mode, price in offer.runs
        )
        OrderTransition.objects.create(
            order=order, from_state="", to_state=states.PENDING, reason="order frozen", actor=payer
        )
    return order


def locked(order_no: str) -> Order | None:
    """The order row, locked for the rest of the current transaction (None if unknown)."""
    return Order.objects.select_for_update().filter(order_no=order_no).first()


def transition(order: Order, to_state: str, reason: str, *, raw: str = "", actor: Any = None) -> None:
    """Move a locked order to ``to_state`` if the table allows it, recording the move."""
    if not states.allowed(order.state, to_state):
        raise states.IllegalTransition(order.state, to_state)
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("transition() needs the order row locked in a transaction")
    if to_state == states.CLOSED:  # accounts made for an unpaid employer list (ADR 0342)
        released = employer_accounts.deactivate_untouched(order)
        reason = f"{reason}; {released} unused accounts made for it deactivated" if released else reason
    elif to_state == states.PAID:
        employer_accounts.reactivate(order)
    OrderTransition.objects.create(
        order=order, from_state=order.state, to_state=to_state, reason=reason[:255], raw=raw, actor=actor
    )
    order.state = to_state
    fields = ["state"]
    if to_state == states.PAID and order.paid_at is None:
        order.paid_at = timezone.now()
        fields.append("paid_at")
    order.save(update_fields=fields)
    if to_state == states.PAID:
        event = signals.OrderPaid(order.order_no, int(order.payer_id), int(order.amount_fen))
        signals.send_on_commit(signals.ORDER_PAID, event)
