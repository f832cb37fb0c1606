"""The order state model: every state, and the only transitions allowed between them (ADR 0130).

A table rather than a library (django-fsm-2): the whole model fits on one screen, the tests walk
it exhaustively, and ``orders.transition`` is the one function that writes ``Order.state``, always
under the order's row lock and always with an ``OrderTransition`` row (reason, raw provider
message, actor). A move the table does not list raises ``IllegalTransition`` and changes nothing.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

PENDING = "pending"  # frozen, waiting for the payer (or for a bank transfer)
REVIEWING = "reviewing"  # bank transfer: a receipt is uploaded, an operator checks the account
PAID = "paid"  # money received; enrolling the order's learners
FULFILLED = "fulfilled"  # paid and every line enrolled
ATTENTION = "attention"  # a notice or money that does not fit: an operator decides
CLOSED = "closed"  # unpaid and closed (expired, cancelled); can no longer be paid
PARTIALLY_REFUNDED = "partially_refunded"
REFUNDED = "refunded"  # fully refunded (learners unenrolled if the setting says so)

LABELS = {
    PENDING: _("Awaiting payment"),
    REVIEWING: _("Transfer under review"),
    PAID: _("Paid, enrolling"),
    FULFILLED: _("Paid and enrolled"),
    ATTENTION: _("Needs attention"),
    CLOSED: _("Closed"),
    PARTIALLY_REFUNDED: _("Partially refunded"),
    REFUNDED: _("Refunded"),
}
STATES = tuple(LABELS)

#: (from, to) -> why such a move happens. Nothing else is allowed.
TRANSITIONS: dict[tuple[str, str], str] = {
    (PENDING, PAID): "the provider (notice or query) or an operator (transfer) reports the money",
    (PENDING, REVIEWING): "the payer uploaded a transfer receipt",
    (PENDING, CLOSED): "expired unpaid, closed at the provider, or cancelled",
    (PENDING, ATTENTION): "a payment notice whose amount, merchant or app id does not match",
    (REVIEWING, PAID): "an operator found the transfer on the account",
    (REVIEWING, PENDING): "an operator rejected the receipt (with a reason); the payer may upload again",
    (REVIEWING, CLOSED): "cancelled while under review",
    (REVIEWING, ATTENTION): "a notice that does not match while under review",
    (PAID, FULFILLED): "every line is enrolled",
    (PAID, ATTENTION): "a line cannot be enrolled (the platform refused)",
    (PAID, PARTIALLY_REFUNDED): "part of the money went back before enrolment finished",
    (PAID, REFUNDED): "all of the money went back before enrolment finished",
    (FULFILLED, PARTIALLY_REFUNDED): "part of the money went back",
    (FULFILLED, REFUNDED): "all of the money went back",
    (PARTIALLY_REFUNDED, PARTIALLY_REFUNDED): "another partial refund",
    (PARTIALLY_REFUNDED, REFUNDED): "the rest of the money went back",
    (CLOSED, ATTENTION): "money arrived for an order already closed",
    (ATTENTION, PAID): "an operator accepted the payment",
    (ATTENTION, CLOSED): "an operator closed the order (money returned outside the system, or none came)",
    (ATTENTION, REFUNDED): "the money of an order needing attention went back",
}

#: States in which the order's money is with us: its lines may be enrolled.
MONEY_RECEIVED = frozenset({PAID, FULFILLED, PARTIALLY_REFUNDED})
#: States in which a payment may still arrive and be accepted without an operator.
PAYABLE = frozenset({PENDING, REVIEWING})
#: States from which an operator may refund.
REFUNDABLE = frozenset({PAID, FULFILLED, PARTIALLY_REFUNDED, ATTENTION})


class IllegalTransition(Exception):
    """A move the table does not allow; nothing was changed."""

    def __init__(self, from_state: str, to_state: str) -> None:
        super().__init__(f"no transition {from_state} -> {to_state}")
        self.from_state, self.to_state = from_state, to_state


def allowed(from_state: str, to_state: str) -> bool:
    """Whether the table lists the move."""
    return (from_state, to_state) in TRANSITIONS
