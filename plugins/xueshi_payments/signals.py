"""Facts the payments app tells others (invoices, later reporting), sent only after they are committed.

.. event_type: xueshi_payments.order_paid
.. event_name: ORDER_PAID
.. event_description: an order's money arrived (its state moved to ``paid``). Sent with
   ``transaction.on_commit`` from ``orders.transition``, the one place ``Order.state`` is written,
   so a rolled-back transition never announces a payment. Sent once per order: the state table
   only moves into ``paid`` from unpaid states (or from ``attention`` when an operator accepts).
.. event_data: event (OrderPaid)

.. event_type: xueshi_payments.refund_succeeded
.. event_name: REFUND_SUCCEEDED
.. event_description: money of a refund went back (``Refund.state`` became ``succeeded``). Sent
   with ``transaction.on_commit`` from ``refunds._apply``, the one place a refund succeeds.
   Receivers must be idempotent on ``refund_no`` (a worker may die after commit, before sending;
   consumers such as invoices also reconcile from ``api.order_for_invoice``).
.. event_data: event (RefundSucceeded)
"""

from __future__ import annotations

from dataclasses import dataclass

from django.dispatch import Signal

from xueshi_core.facts import send_on_commit as send_on_commit  # callers say signals.send_on_commit

ORDER_PAID = Signal()
REFUND_SUCCEEDED = Signal()


@dataclass(frozen=True)
class OrderPaid:
    """The payload of ``ORDER_PAID``."""

    order_no: str
    payer_id: int
    amount_fen: int


@dataclass(frozen=True)
class RefundSucceeded:
    """The payload of ``REFUND_SUCCEEDED``: this refund and the order's refunded total after it."""

    order_no: str
    refund_no: str
    amount_fen: int
    refunded_total_fen: int
    order_amount_fen: int
