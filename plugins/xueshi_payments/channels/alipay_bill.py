"""Reading Alipay's daily trade bill: a zip of GBK CSV files with ``#`` comment lines.

The detail file (``…_业务明细.csv``) is found by its first line, not its name: Alipay encodes the
member names in GBK without zip's UTF-8 flag, so names read back differently by tool. Rows are
read by header name, values lose the tab Alipay appends to stop spreadsheets reformatting
numbers, and the footer's counts (``#交易合计：N笔，退款合计：M笔``) must match the rows read, so a
truncated or altered file is refused rather than half-reconciled.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile

from .alipay_client import fen, parse_stamp
from .base import BillLine

DETAIL_TITLE = "#支付宝业务明细查询"
KINDS = {"交易": "payment", "退款": "refund"}
_TOTALS = re.compile(r"#交易合计：(\d+)笔，退款合计：(\d+)笔")
MAX_BILL_BYTES = 64 * 1024 * 1024


class BillError(ValueError):
    """The bill is not one Alipay would send (no detail file, bad rows, counts that disagree)."""


def _detail_text(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise BillError(f"not a zip: {error}") from None
    with archive:
        for member in archive.infolist():
            if member.file_size > MAX_BILL_BYTES:
                raise BillError("bill file too large")
            text = archive.read(member).decode("gbk")
            if text.lstrip("\ufeff").startswith(DETAIL_TITLE):
                return text
    raise BillError("no detail file (业务明细) in the bill zip")


def parse_bill_zip(data: bytes) -> list[BillLine]:
    """Every payment and refund line of the bill; refunds carry positive ``amount_fen``."""
    text = _detail_text(data)
    lines = text.splitlines()
    table = [line for line in lines if line and not line.startswith("#")]
    totals = next((m for m in map(_TOTALS.match, lines) if m), None)
    if totals is None:
        raise BillError("no totals line")
    result: list[BillLine] = []
    for number, record in enumerate(csv.DictReader(table), start=2):
        values = {k.strip(): (v or "").strip() for k, v in record.items() if k}
        kind = KINDS.get(values.get("业务类型", ""))
        occurred = parse_stamp(values.get("完成时间", ""))
        if kind is None or occurred is None:
            raise BillError(f"row {number}: unknown business type or time")
        try:
            amount = abs(fen(values.get("商家实收（元）", "").lstrip("-")))
        except ValueError as error:
            raise BillError(f"row {number}: {error}") from None
        result.append(
            BillLine(
                order_no=values.get("商户订单号", ""),
                provider_trade_no=values.get("支付宝交易号", ""),
                kind=kind,
                amount_fen=amount,
                occurred_at=occurred,
                refund_no=values.get("退款批次号/请求号", "") if kind == "refund" else "",
            )
        )
    payments = sum(1 for line in result if line.kind == "payment")
    if (payments, len(result) - payments) != (int(totals.group(1)), int(totals.group(2))):
        raise BillError(f"totals line says {totals.group(0)} but the file has {len(result)} rows")
    return result
