"""WeChat Pay's trade bill (交易账单): hash check and parsing into ``BillLine``s.

The apply call gives ``hash_type=SHA1`` and ``hash_value`` over the uncompressed bill; the
download itself is unsigned, so the hash is the only proof the file is whole and ours. Every CSV
field is prefixed with a backtick (so spreadsheets keep long numbers as text); money is yuan with
two decimals, turned into integer fen here; lines carry 订单金额 and 申请退款金额 (what our
orders and refunds asked for), not the settled amounts, which WeChat coupons may lower. Columns are
found by their header names, not positions, so columns WeChat Pay adds later shift nothing.
ADR 0142.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import hmac
import io
from datetime import datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from .base import BillLine, ChannelError

SHANGHAI = ZoneInfo("Asia/Shanghai")
GZIP_MAGIC = b"\x1f\x8b"
SUMMARY_FIRST = "总交易单数"
COLUMNS = ("交易时间", "微信订单号", "商户订单号", "交易状态", "订单金额", "商户退款单号", "申请退款金额")
MAX_BILL_BYTES = 200 * 1024 * 1024


def checked(data: bytes, hash_type: str, hash_value: str) -> bytes:
    """The uncompressed bill if its SHA1 matches ``hash_value``, else ``ChannelError`` bill_hash_mismatch."""
    if data[:2] == GZIP_MAGIC:
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as unzipped:
                data = unzipped.read(MAX_BILL_BYTES + 1)
        except (OSError, EOFError) as exc:
            raise ChannelError("bill_corrupt", f"the bill is not valid gzip: {exc}", retryable=True) from exc
        if len(data) > MAX_BILL_BYTES:
            raise ChannelError("bill_too_large", "the bill is larger than 200 MB", retryable=False)
    if hash_type.upper() != "SHA1":
        raise ChannelError("bill_hash_type", f"unknown hash_type {hash_type!r}", retryable=False)
    actual = hashlib.sha1(data).hexdigest()  # noqa: S324 — WeChat Pay's integrity hash
    if not hmac.compare_digest(actual, hash_value.lower()):
        raise ChannelError(
            "bill_hash_mismatch", "the downloaded bill does not match its SHA1", retryable=True
        )
    return data


def _fen(text: str) -> int:
    try:
        return int((Decimal(text) * 100).to_integral_exact())
    except (InvalidOperation, ValueError) as exc:
        raise ChannelError("bill_malformed", f"not an amount: {text!r}", retryable=False) from exc


def parse(data: bytes) -> list[BillLine]:
    """The payment and refund lines of a checked ``bill_type=ALL`` bill."""
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return []
    header = [name.strip() for name in rows[0]]
    try:
        at = {name: header.index(name) for name in COLUMNS}
    except ValueError as exc:
        raise ChannelError(
            "bill_malformed", f"the bill header lacks a column: {exc}", retryable=False
        ) from exc
    lines: list[BillLine] = []
    for row in rows[1:]:
        if not row or row[0].strip() == SUMMARY_FIRST:
            break
        values = [value.strip().removeprefix("`") for value in row]
        state = values[at["交易状态"]]
        occurred = datetime.strptime(values[at["交易时间"]], "%Y-%m-%d %H:%M:%S").replace(tzinfo=SHANGHAI)
        order_no, trade_no = values[at["商户订单号"]], values[at["微信订单号"]]
        if state == "REFUND":
            amount, refund_no, kind = _fen(values[at["申请退款金额"]]), values[at["商户退款单号"]], "refund"
        elif state == "SUCCESS":
            amount, refund_no, kind = _fen(values[at["订单金额"]]), "", "payment"
        else:
            continue
        lines.append(
            BillLine(
                order_no=order_no,
                provider_trade_no=trade_no,
                kind=kind,
                amount_fen=amount,
                occurred_at=occurred,
                refund_no=refund_no,
            )
        )
    return lines
