"""What the sandbox gateway remembers: merchants, trades, refunds, and the controls tests turn."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

BEIJING = ZoneInfo("Asia/Shanghai")
STAMP = "%Y-%m-%d %H:%M:%S"
AMOUNT = re.compile(r"^(0|[1-9][0-9]{0,8})(\.[0-9]{1,2})?$")
OUT_NO = re.compile(r"^[0-9A-Za-z_]{1,64}$")
WAIT, SUCCESS, FINISHED, CLOSED = "WAIT_BUYER_PAY", "TRADE_SUCCESS", "TRADE_FINISHED", "TRADE_CLOSED"


def now() -> datetime:
    """Alipay's clock: Beijing time."""
    return datetime.now(BEIJING)


def stamp(moment: datetime) -> str:
    """``yyyy-MM-dd HH:mm:ss`` in Beijing time, Alipay's one time format."""
    return moment.astimezone(BEIJING).strftime(STAMP)


def parse_stamp(text: str) -> datetime:
    """The reverse of ``stamp``; ``ValueError`` on anything else."""
    return datetime.strptime(text, STAMP).replace(tzinfo=BEIJING)


def fen(amount: str) -> int:
    """``"12.30"`` yuan → 1230 fen, accepting only what Alipay accepts (0.01 … 100000000)."""
    if not isinstance(amount, str) or not AMOUNT.match(amount):
        raise ValueError(f"bad amount {amount!r}")
    value = int(Decimal(amount) * 100)
    if not 1 <= value <= 100_000_000_00:
        raise ValueError(f"amount out of range {amount!r}")
    return value


def yuan(value: int) -> str:
    """1230 fen → ``"12.30"``; negative for refund lines of a bill."""
    sign = "-" if value < 0 else ""
    whole, cents = divmod(abs(value), 100)
    return f"{sign}{whole}.{cents:02d}"


def new_trade_no(moment: datetime) -> str:
    """A 28-digit Alipay trade number: the day, ``22001``, then random digits."""
    return moment.strftime("%Y%m%d") + "22001" + "".join(secrets.choice("0123456789") for _ in range(15))


@dataclass
class Merchant:
    """An app registered with the gateway: its id, its seller (partner) id and its app public key."""

    app_id: str
    seller_id: str
    public_key: RSAPublicKey
    seller_email: str = "finance@xueshi.example"


@dataclass
class Refund:
    """One ``out_request_no``: refunded once, however often it is sent."""

    out_request_no: str
    amount_fen: int
    reason: str
    at: datetime


@dataclass
class Trade:
    """A trade as Alipay keeps it, created when the payer reaches the cashier."""

    app_id: str
    seller_id: str
    out_trade_no: str
    trade_no: str
    total_fen: int
    subject: str
    method: str
    product_code: str
    notify_url: str
    return_url: str
    created_at: datetime
    expires_at: datetime | None = None
    status: str = WAIT
    paid_at: datetime | None = None
    closed_at: datetime | None = None
    buyer_id: str = "2088102177846880"
    buyer_logon_id: str = "xue***@sandbox.com"
    refunds: dict[str, Refund] = field(default_factory=dict)

    @property
    def refunded_fen(self) -> int:
        """Money refunded so far, over all refund requests."""
        return sum(r.amount_fen for r in self.refunds.values())


@dataclass
class Controls:
    """Misbehaviour on request: tests and the control page set these, the gateway consumes them.

    ``fail``: API method → how many next calls answer "20000 isp.unknow-error"; ``notify_delay``:
    seconds before a notice's first delivery; ``duplicate``: how many next notices go out twice;
    ``lose``: how many next delivery attempts vanish (never reach the merchant); ``bill_today``:
    serve today's bill (Alipay serves T+1 only); ``planted``: extra raw bill lines by day.
    """

    fail: dict[str, int] = field(default_factory=dict)
    notify_delay: float = 0.0
    duplicate: int = 0
    lose: int = 0
    bill_today: bool = False
    planted: dict[str, list[list[str]]] = field(default_factory=dict)

    def take(self, name: str) -> bool:
        """Consume one unit of the ``duplicate`` or ``lose`` counter; True if there was one."""
        left = int(getattr(self, name))
        if left > 0:
            setattr(self, name, left - 1)
        return left > 0

    def take_failure(self, method: str) -> bool:
        """Consume one planned failure of ``method``; True if there was one."""
        left = self.fail.get(method, 0)
        if left > 0:
            self.fail[method] = left - 1
        return left > 0
