"""What WeChat Pay holds about a merchant's orders and refunds.

Also how it writes them in replies and notices: the v3 API's field names, states and time format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

SHANGHAI = timezone(timedelta(hours=8))


def rfc3339(moment: datetime) -> str:
    """WeChat Pay's time format: RFC 3339 in +08:00, whole seconds."""
    return moment.astimezone(SHANGHAI).replace(microsecond=0).isoformat()


@dataclass
class Trade:
    """One merchant order as WeChat Pay holds it."""

    mchid: str
    appid: str
    out_trade_no: str
    trade_type: str
    description: str
    total: int
    notify_url: str
    expires_at: datetime
    request: dict[str, Any]
    prepay_id: str = ""
    code: str = ""
    attach: str = ""
    openid: str = ""
    state: str = "NOTPAY"
    transaction_id: str = ""
    success_time: datetime | None = None
    refunds: list[Refund] = field(default_factory=list)

    def as_transaction(self) -> dict[str, Any]:
        """The query reply, and the plaintext of a TRANSACTION.SUCCESS notice."""
        out: dict[str, Any] = {
            "appid": self.appid,
            "mchid": self.mchid,
            "out_trade_no": self.out_trade_no,
            "trade_state": self.state,
            "trade_state_desc": {
                "NOTPAY": "订单未支付",
                "SUCCESS": "支付成功",
                "CLOSED": "订单已关闭",
                "REFUND": "转入退款",
            }[self.state],
            "attach": self.attach,
            "amount": {"total": self.total, "currency": "CNY"},
        }
        if self.transaction_id:
            out.update(
                transaction_id=self.transaction_id,
                trade_type=self.trade_type,
                bank_type="OTHERS",
                success_time=rfc3339(self.success_time or datetime.now(SHANGHAI)),
                payer={"openid": self.openid or "o" + self.transaction_id[-27:]},
            )
            out["amount"].update(payer_total=self.total, payer_currency="CNY")
        return out


@dataclass
class Refund:
    """One refund of a trade."""

    trade: Trade
    out_refund_no: str
    refund_id: str
    amount: int
    reason: str
    notify_url: str
    created: datetime
    status: str = "PROCESSING"
    success_time: datetime | None = None

    def as_refund(self) -> dict[str, Any]:
        """The refund and refund-query reply."""
        out = {
            "refund_id": self.refund_id,
            "out_refund_no": self.out_refund_no,
            "transaction_id": self.trade.transaction_id,
            "out_trade_no": self.trade.out_trade_no,
            "channel": "ORIGINAL",
            "user_received_account": "支付用户零钱",
            "create_time": rfc3339(self.created),
            "status": self.status,
            "amount": {
                "total": self.trade.total,
                "refund": self.amount,
                "payer_total": self.trade.total,
                "payer_refund": self.amount,
                "settlement_total": self.trade.total,
                "settlement_refund": self.amount,
                "discount_refund": 0,
                "currency": "CNY",
            },
        }
        if self.success_time:
            out["success_time"] = rfc3339(self.success_time)
        return out

    def as_notice(self) -> dict[str, Any]:
        """The plaintext of a REFUND.* notice (it has ``mchid`` but no ``appid``)."""
        out = {
            "mchid": self.trade.mchid,
            "out_trade_no": self.trade.out_trade_no,
            "transaction_id": self.trade.transaction_id,
            "out_refund_no": self.out_refund_no,
            "refund_id": self.refund_id,
            "refund_status": self.status,
            "user_received_account": "支付用户零钱",
            "amount": {
                "total": self.trade.total,
                "refund": self.amount,
                "payer_total": self.trade.total,
                "payer_refund": self.amount,
            },
        }
        if self.success_time:
            out["success_time"] = rfc3339(self.success_time)
        return out
