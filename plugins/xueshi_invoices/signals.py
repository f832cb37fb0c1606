"""Facts the invoices app tells others (notifications, later reporting), sent after they are committed.

.. event_type: xueshi_invoices.invoice_issued
.. event_name: INVOICE_ISSUED
.. event_description: a blue e-invoice was recorded for a request (``issuing.record``, the one
   place an invoice row is made). Sent with ``transaction.on_commit``, once per invoice number;
   receivers should still be idempotent on ``number``.
.. event_data: event (InvoiceIssued)
"""

from __future__ import annotations

from dataclasses import dataclass

from django.dispatch import Signal

INVOICE_ISSUED = Signal()


@dataclass(frozen=True)
class InvoiceIssued:
    """The payload of ``INVOICE_ISSUED``: the invoice number, our request serial and the requester."""

    number: str
    serial: str
    user_id: int
