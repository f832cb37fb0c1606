"""Reading UnionPay's reconciliation file (对账文件) from a ``fileTransfer`` reply.

``fileContent`` is Base64 of a zlib-deflated zip; in it, the merchant's transaction file is the
member whose name holds ``ZM_`` (e.g. ``INN26120488ZM_777290058110048``): GBK text, one
transaction per line, fixed-width fields separated by one byte. Widths are those of UnionPay's
file interface spec as used in its SDK samples; we read the fields reconciliation needs:
transaction code (``S22`` consume, ``S30`` refund), transmission time (MMDDhhmmss), amount (fen,
12 digits), ``queryId``, ``orderId``, ``origQryId`` and ``merId`` (ADR 0163).
"""

from __future__ import annotations

import base64
import binascii
import io
import zipfile
import zlib
from datetime import date, datetime
from zoneinfo import ZoneInfo

from .base import BillLine

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
CODE, TIME, AMOUNT, QUERY_ID, ORDER_ID, ORIG_QRY_ID, MER_ID = 0, 4, 6, 9, 11, 26, 27
KINDS = {"S22": "payment", "S30": "refund"}
MAX_BILL_BYTES = 64 * 1024 * 1024
BEIJING = ZoneInfo("Asia/Shanghai")


class BillError(ValueError):
    """The file is not one UnionPay would send (not Base64/zlib/zip, no ZM file, a bad line)."""


def split_line(raw: bytes) -> list[str]:
    """The fixed-width fields of one ZM line (bytes, as widths count GBK bytes), stripped."""
    fields, left = [], 0
    for width in WIDTHS:
        if left + width > len(raw):
            raise BillError(f"short line ({len(raw)} bytes)")
        fields.append(raw[left : left + width].decode("gbk").strip())
        left += width + 1
    return fields


def zm_text(file_content: str) -> bytes:
    """The ZM member's bytes from a ``fileContent`` value."""
    try:
        data = zlib.decompress(base64.b64decode(file_content, validate=True), bufsize=1 << 20)
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (binascii.Error, ValueError, zlib.error, zipfile.BadZipFile) as error:
        raise BillError(f"not a UnionPay file: {error}") from None
    with archive:
        for member in archive.infolist():
            if "ZM_" in member.filename and "ZME_" not in member.filename:
                if member.file_size > MAX_BILL_BYTES:
                    raise BillError("file too large")
                return archive.read(member)
    raise BillError("no ZM file in the archive")


def parse_bill(file_content: str, day: date, mer_id: str) -> list[BillLine]:
    """Payments and refunds of ``mer_id`` in the file; other transaction codes are skipped."""
    lines = []
    for raw in zm_text(file_content).splitlines():
        if not raw.strip():
            continue
        try:
            fields = split_line(raw)
        except UnicodeDecodeError:
            raise BillError("a line is not GBK") from None
        kind = KINDS.get(fields[CODE])
        if kind is None or fields[MER_ID] != mer_id:
            continue
        if not fields[AMOUNT].isdigit():
            raise BillError(f"amount {fields[AMOUNT]!r}")
        try:
            when = datetime.strptime(f"{day.year}{fields[TIME]}", "%Y%m%d%H%M%S").replace(tzinfo=BEIJING)
        except ValueError:
            raise BillError(f"time {fields[TIME]!r}") from None
        refund = kind == "refund"
        lines.append(
            BillLine(
                # A refund line names the refund's own orderId; the order is found by origQryId.
                order_no="" if refund else fields[ORDER_ID],
                provider_trade_no=fields[ORIG_QRY_ID] if refund else fields[QUERY_ID],
                kind=kind,
                amount_fen=int(fields[AMOUNT]),
                occurred_at=when,
                refund_no=fields[ORDER_ID] if refund else "",
            )
        )
    return lines
