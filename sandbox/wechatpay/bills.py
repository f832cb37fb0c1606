"""The trade bill (交易账单, ``bill_type=ALL``) as WeChat Pay writes it.

A CSV whose every field is prefixed with a backtick, amounts in yuan with two decimals, then a
summary header and line.

The apply call returns ``{hash_type: SHA1, hash_value, download_url}``; the hash is over the
uncompressed bill, the download is unsigned and the URL lives 30 seconds.
"""

from __future__ import annotations

import csv
import hashlib
import io
from decimal import Decimal
from typing import Any

from .trades import SHANGHAI, Refund, Trade

HEADER = (
    "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,"
    "应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,"
    "手续费,费率,订单金额,申请退款金额,费率备注"
)
SUMMARY = "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额"
FEE_RATE = Decimal("0.006")


def yuan(fen: int) -> str:
    """Fen as the bill writes money: yuan with two decimals."""
    return f"{Decimal(fen) / 100:.2f}"


def _row(values: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow("`" + value for value in values)  # quotes a comma
    return out.getvalue()


def _fee(fen: int) -> str:
    return f"{(Decimal(fen) / 100 * FEE_RATE):.5f}"


def _order_columns(trade: Trade, moment: Any, status: str) -> list[str]:
    """The first twelve columns, the same for a payment and a refund: when, who, which trade, status."""
    return [
        f"{moment.astimezone(SHANGHAI):%Y-%m-%d %H:%M:%S}",
        trade.appid,
        trade.mchid,
        "0",
        "",
        trade.transaction_id,
        trade.out_trade_no,
        trade.openid or "o" + trade.transaction_id[-27:],
        trade.trade_type,
        status,
        "OTHERS",
        "CNY",
    ]


def _trade_row(trade: Trade) -> str:
    columns = [yuan(trade.total), "0.00", "0", "0", "0.00", "0.00", "", "", trade.description, trade.attach]
    columns += [_fee(trade.total), "0.60%", yuan(trade.total), "0.00", ""]
    return _row(_order_columns(trade, trade.success_time or trade.expires_at, "SUCCESS") + columns)


def _refund_row(refund: Refund) -> str:
    trade = refund.trade
    columns = ["0.00", "0.00", refund.refund_id, refund.out_refund_no, yuan(refund.amount), "0.00"]
    columns += ["ORIGINAL", "SUCCESS", trade.description, trade.attach, "-" + _fee(refund.amount), "0.60%"]
    columns += ["0.00", yuan(refund.amount), ""]
    return _row(_order_columns(trade, refund.success_time or refund.created, "REFUND") + columns)


def trade_bill(trades: list[Trade], refunds: list[Refund]) -> bytes:
    """The bill's bytes (UTF-8; Excel users get a BOM-less CSV, as from WeChat Pay)."""
    lines = [HEADER, *(_trade_row(t) for t in trades), *(_refund_row(r) for r in refunds), SUMMARY]
    paid, refunded = sum(t.total for t in trades), sum(r.amount for r in refunds)
    fees = sum(Decimal(_fee(t.total)) for t in trades) - sum(Decimal(_fee(r.amount)) for r in refunds)
    lines.append(
        _row(
            [
                str(len(trades) + len(refunds)),
                yuan(paid),
                yuan(refunded),
                "0.00",
                f"{fees:.5f}",
                yuan(paid),
                yuan(refunded),
            ]
        )
    )
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def sha1(data: bytes) -> str:
    """The ``hash_value`` of a bill: SHA1 hex of the uncompressed bytes."""
    return hashlib.sha1(data).hexdigest()  # noqa: S324  (WeChat Pay's own integrity hash, not security)
