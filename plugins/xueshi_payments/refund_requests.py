"""Learners' refund requests: asked with a reason, decided by an operator (ADR 0139).

A payer may ask once per order, for an order whose money is with us, within
``XUESHI_PAYMENTS_REFUND_REQUEST_DAYS`` days of paying. Approval refunds what is left through the
existing flow (``refunds.request_refund`` then ``send_refund``; the beat task retries the same
refund number until final); rejection needs a reason the learner reads on "my orders".
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import orders, refunds, states
from .refund_request_models import RefundRequest

#: Orders in these states may be asked about: the money is with us and none of it went back yet.
ASKABLE = frozenset({states.PAID, states.FULFILLED})


class RequestRefused(ValueError):
    """A request or decision that cannot be made; ``status`` is the HTTP status to answer."""

    def __init__(self, reason: str, status: int = 400) -> None:
        super().__init__(reason)
        self.reason, self.status = reason, status


def window() -> timedelta:
    """How long after paying a learner may ask for a refund (default 7 days)."""
    return timedelta(days=int(getattr(settings, "XUESHI_PAYMENTS_REFUND_REQUEST_DAYS", 7)))


def may_ask(order: Any, now: Any = None) -> bool:
    """Whether the order's payer may ask now (no earlier request, state, window)."""
    now = now or timezone.now()
    return (
        order.state in ASKABLE
        and order.paid_at is not None
        and now <= order.paid_at + window()
        and not RefundRequest.objects.filter(order=order).exists()
    )


def ask(order_no: str, learner: Any, reason: str) -> RefundRequest:
    """The payer asks for the money back; ``RequestRefused`` says why not."""
    reason = reason.strip()
    if not reason:
        raise RequestRefused(_("Say why you want a refund."))
    if len(reason) > 200:
        raise RequestRefused(_("The reason is longer than 200 characters."))
    with transaction.atomic():
        order = orders.locked(order_no)
        if order is None or order.payer_id != learner.pk:
            raise RequestRefused(_("There is no such order."), 404)
        if RefundRequest.objects.filter(order=order).exists():
            raise RequestRefused(_("You have already asked for a refund of this order."), 409)
        if order.state not in ASKABLE or order.paid_at is None:
            raise RequestRefused(_("Only a paid order can be refunded on request."), 409)
        if timezone.now() > order.paid_at + window():
            days = window().days
            raise RequestRefused(
                _("Refunds can be asked within %(days)s days of paying.") % {"days": days}, 409
            )
        try:
            with transaction.atomic():
                return RefundRequest.objects.create(order=order, learner=learner, reason=reason)
        except IntegrityError as exc:  # a racing second request: the unique key refused it
            raise RequestRefused(_("You have already asked for a refund of this order."), 409) from exc


def _pending(request_id: int) -> RefundRequest:
    found = RefundRequest.objects.select_for_update().filter(pk=request_id).select_related("order").first()
    if found is None:
        raise RequestRefused(_("There is no such refund request."), 404)
    if found.state != RefundRequest.PENDING:
        raise RequestRefused(_("This refund request is already decided."), 409)
    return found


def approve(request_id: int, operator: Any, note: str = "") -> RefundRequest:
    """Refund what is left of the order and send it; the refund's number stays on the request."""
    with transaction.atomic():
        found = _pending(request_id)
        left = refunds._outstanding(found.order)  # the one definition of "left"
        reason = f"learner request: {found.reason}"
        try:
            refund = refunds.request_refund(found.order.order_no, left, reason, operator)
        except refunds.RefundRefused as exc:
            raise RequestRefused(str(exc), 409) from exc
        found.state, found.refund = RefundRequest.APPROVED, refund
        found.decided_by, found.decided_at = operator, timezone.now()
        found.decision_reason = note.strip()[:200]
        found.save()
    refunds.send_refund(refund.refund_no)  # outside the locks: the provider call may be slow
    return found


def reject(request_id: int, operator: Any, reason: str) -> RefundRequest:
    """Refuse with a reason the learner reads."""
    reason = reason.strip()
    if not reason:
        raise RequestRefused(_("Give the learner the reason."))
    with transaction.atomic():
        found = _pending(request_id)
        found.state, found.decision_reason = RefundRequest.REJECTED, reason[:200]
        found.decided_by, found.decided_at = operator, timezone.now()
        found.save()
    return found
