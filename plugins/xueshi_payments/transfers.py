"""Bank transfers: the payer uploads the receipt, an operator confirms the money or rejects it.

Receipts are checked before anything is stored: at most ``XUESHI_PAYMENTS_MAX_RECEIPT_BYTES``,
and a PNG, JPEG or PDF by its first bytes (the browser's content type is not trusted). The
confirmation goes through ``events.process_event`` like any provider's notice, with one event id
per order, so a double click or two operators confirming at once pay and enrol once.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from . import conf, events, orders, states
from .channels import base
from .channels.transfer import NAME
from .models import Order, TransferReceipt

#: First bytes of the accepted receipt formats.
SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"%PDF-": "application/pdf",
}


class ReceiptRefused(ValueError):
    """An upload or review that cannot be accepted; ``status`` is the HTTP answer."""

    def __init__(self, reason: str, status: int = 400) -> None:
        super().__init__(reason)
        self.reason, self.status = reason, status


def sniff(content: bytes) -> str | None:
    """The receipt's content type from its first bytes, or None if it is not an accepted format."""
    for magic, content_type in SIGNATURES.items():
        if content.startswith(magic):
            return content_type
    return None


def read_upload(upload: Any) -> tuple[bytes, str]:
    """Read an uploaded file (at most the limit plus one byte) and check size and format."""
    limit = conf.max_receipt_bytes()
    if upload is None:
        raise ReceiptRefused(_("Choose the receipt file."))
    if upload.size is not None and upload.size > limit:
        raise ReceiptRefused(
            _("The receipt is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}, status=413
        )
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise ReceiptRefused(
            _("The receipt is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}, status=413
        )
    if not content:
        raise ReceiptRefused(_("The receipt file is empty."))
    content_type = sniff(content)
    if content_type is None:
        raise ReceiptRefused(_("The receipt must be a PNG or JPEG image or a PDF."), status=415)
    return content, content_type


def upload_receipt(order_no: str, payer: Any, content: bytes, content_type: str) -> TransferReceipt:
    """Store a checked receipt and put the order under review."""
    with transaction.atomic():
        order = orders.locked(order_no)
        if order is None or order.payer_id != payer.pk:
            raise ReceiptRefused(_("There is no such order."), status=404)
        if order.channel != NAME:
            raise ReceiptRefused(_("This order is not paid by bank transfer."), status=409)
        if order.state not in states.PAYABLE:
            raise ReceiptRefused(_("This order no longer takes receipts."), status=409)
        receipt = TransferReceipt.objects.create(
            order=order,
            uploaded_by=payer,
            content=content,
            content_type=content_type,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
        )
        if order.state == states.PENDING:
            orders.transition(order, states.REVIEWING, "receipt uploaded", actor=payer)
    return receipt


def confirm(order_no: str, operator: Any, note: str = "") -> str:
    """The operator found the transfer: pay the order (once) and enrol its learners."""
    order = Order.objects.filter(order_no=order_no).first()
    if order is None:
        raise ReceiptRefused(_("There is no such order."), status=404)
    if order.channel != NAME:
        raise ReceiptRefused(_("This order is not paid by bank transfer."), status=409)
    raw = json.dumps({"confirmed_by": operator.username, "note": note[:200]}, ensure_ascii=False)
    event = base.ProviderEvent(
        provider=NAME,
        event_id=f"confirm:{order_no}",
        kind=base.PAID,
        order_no=order_no,
        amount_fen=order.amount_fen,
        merchant_id="",
        app_id="",
        provider_trade_no=f"transfer:{order_no}",
        raw=raw,
    )
    return events.process_event(event)


def reject(order_no: str, operator: Any, reason: str) -> None:
    """The receipt does not show the money: back to pending, with the reason the payer reads."""
    reason = reason.strip()
    if not reason:
        raise ReceiptRefused(_("Give the reason for the rejection."))
    with transaction.atomic():
        order = orders.locked(order_no)
        if order is None:
            raise ReceiptRefused(_("There is no such order."), status=404)
        if order.state != states.REVIEWING:
            raise ReceiptRefused(_("Only a receipt under review can be rejected."), status=409)
        orders.transition(order, states.PENDING, reason[:255], actor=operator)
