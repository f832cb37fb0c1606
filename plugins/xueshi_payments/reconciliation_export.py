"""The reconciliation export for the finance office: xlsx through core's one safe writer (ADR 0021)."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from xueshi_core.spreadsheets import append_row

from .presenting import channel_label
from .products import yuan
from .reconciliation_models import ReconMismatch


def _yuan(fen: int | None) -> str:
    return "" if fen is None else yuan(fen)


def mismatches_xlsx(rows: Iterable[ReconMismatch]) -> bytes:
    """One row per mismatch: day, method, kind, numbers, both amounts in yuan, our state, resolution."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(_("Reconciliation")))
    header = (
        _("Bill day"),
        _("Payment method"),
        _("Mismatch"),
        _("Line"),
        _("Order number"),
        _("Refund number"),
        _("Provider trade number"),
        _("Bill amount (yuan)"),
        _("Our amount (yuan)"),
        _("Our state"),
        _("Resolved at"),
        _("Resolved by"),
        _("Note"),
    )
    append_row(sheet, [str(h) for h in header])
    for m in rows:
        resolved = timezone.localtime(m.resolved_at).strftime("%Y-%m-%d %H:%M") if m.resolved_at else ""
        append_row(
            sheet,
            [
                m.run.day.isoformat(),
                channel_label(m.run.channel),
                m.kind_label,
                str(_("Refund") if m.line_kind == "refund" else _("Payment")),
                m.order_no,
                m.refund_no,
                m.provider_trade_no,
                _yuan(m.bill_fen),
                _yuan(m.our_fen),
                m.our_state,
                resolved,
                m.resolved_by.username if m.resolved_by else "",
                m.note,
            ],
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
