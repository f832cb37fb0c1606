"""Reconciliation files as ``fileTransfer`` returns them: Base64 of a deflated zip holding a ZM file.

The ZM file (``INN<yyMMdd>88ZM_<merId>``) has one GBK line per transaction, fixed-width fields
separated by a space, widths from UnionPay's file interface spec as its SDK samples parse them.
Fields the sandbox fills: transaction code (S22 consume, S30 refund), transmission time, the
masked account, amount (12-digit fen), ``queryId``, ``orderId``, txnType/txnSubType/bizType,
``origQryId`` for refunds and ``merId``; the rest are blank or zero (ADR 0163).
"""

from __future__ import annotations

import base64
import io
import zipfile
import zlib

from . import state

WIDTHS = (
    3,
    11,
    11,
    6,
    10,
    19,
    12,
    4,
    2,
    21,
    2,
    32,
    2,
    6,
    10,
    13,
    13,
    4,
    15,
    2,
    2,
    6,
    2,
    4,
    32,
    1,
    21,
    15,
    1,
    15,
)
TAIL = (32, 13, 13, 8, 32, 13, 13, 12, 2, 1, 32, 98)  # fields after the sub-merchant code, left blank


def _field(value: str, width: int) -> bytes:
    raw = value.encode("gbk")[:width]
    return raw + b" " * (width - len(raw))


def line(txn: state.Txn) -> bytes:
    """One ZM line for a consume or a refund."""
    refund = txn.txn_type == "04"
    values = [""] * len(WIDTHS)
    values[0] = "S30" if refund else "S22"
    values[1], values[2] = "00049992900", "00049992900"
    values[3] = txn.query_id[-6:]
    values[4] = txn.txn_time[4:]
    values[5] = "6216***********0018"
    values[6] = f"{txn.amount_fen:012d}"
    values[8] = txn.channel_type
    values[9] = txn.query_id
    values[11] = txn.order_id
    values[15] = f"{0:013d}"
    values[16] = f"{txn.amount_fen:013d}"
    values[19], values[20], values[21] = txn.txn_type, "00" if refund else "01", "000201"
    values[26] = txn.orig_qry_id
    values[27] = txn.mer_id
    parts = [_field(v, w) for v, w in zip(values, WIDTHS, strict=True)] + [b" " * w for w in TAIL]
    return b" ".join(parts)


def file_content(mer_id: str, settle_date: str, txns: list[state.Txn]) -> tuple[str, str]:
    """``(fileName, fileContent)`` for ``mer_id``'s transactions settled on ``settle_date`` (MMDD)."""
    year = state.now().strftime("%y")
    ours = [t for t in txns if t.mer_id == mer_id and t.settle_date == settle_date and t.status != state.WAIT]
    body = b"".join(line(t) + b"\r\n" for t in ours)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"INN{year}{settle_date}88ZM_{mer_id}", body)
        archive.writestr(f"INN{year}{settle_date}88ZME_{mer_id}", b"")
    name = f"{year}{settle_date}_{mer_id}.zip"
    return name, base64.b64encode(zlib.compress(buffer.getvalue())).decode("ascii")
