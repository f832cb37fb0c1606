"""The orders export for the finance office: xlsx through core's one safe spreadsheet writer (ADR 0021)."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from xueshi_core.spreadsheets import append_row

from . import products
from .models import Order
from .presenting import channel_label


def _local(moment: object) -> str:
    if moment is None:
        return ""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")  # type: ignore[arg-type]


def orders_xlsx(rows: Iterable[Order]) -> bytes:
    """One row per order: number, time, payer, title, method, amount and refunds in yuan, state."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(_("Orders")))
    append_row(
        sheet,
        [
            str(h)
            for h in (
                _("Order number"),
                _("Created"),
                _("Payer"),
                _("Title"),
                _("Payment method"),
                _("Amount (yuan)"),
                _("Refunded (yuan)"),
                _("State"),
                _("Paid at"),
                _("Provider trade number"),
                _("Learners"),
            )
        ],
    )
    for order in rows:
        append_row(
            sheet,
            [
                order.order_no,
                _local(order.created_at),
                order.payer.username,
                order.title,
                channel_label(order.channel),
                products.yuan(order.amount_fen),
                products.yuan(order.refunded_fen),
                order.state_label,
                _local(order.paid_at),
                order.provider_trade_no,
                order.lines.count(),
            ],
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
