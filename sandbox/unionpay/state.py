"""What the sandbox gateway keeps: merchants, transactions, and the misbehaviour controls."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from cryptography import x509

BEIJING = ZoneInfo("Asia/Shanghai")
STAMP = "%Y%m%d%H%M%S"
WAIT, PAID, REFUNDING, DONE, FAILED = "wait", "paid", "refunding", "done", "failed"


def now() -> datetime:
    """UnionPay's clock: Beijing time."""
    return datetime.now(BEIJING)


def stamp(moment: datetime) -> str:
    """``YYYYMMDDhhmmss`` in Beijing time."""
    return moment.astimezone(BEIJING).strftime(STAMP)


def parse_stamp(text: str) -> datetime:
    """The reverse of ``stamp``; ``ValueError`` on anything else."""
    if len(text) != 14 or not text.isdigit():
        raise ValueError(text)
    return datetime.strptime(text, STAMP).replace(tzinfo=BEIJING)


def new_query_id(moment: datetime) -> str:
    """A 21-digit UnionPay ``queryId``: the time, then random digits."""
    return stamp(moment)[2:] + "".join(secrets.choice("0123456789") for _ in range(9))


@dataclass
class Merchant:
    """A merchant number and the certificate its requests must be signed with."""

    mer_id: str
    cert: x509.Certificate

    @property
    def cert_id(self) -> str:
        return str(self.cert.serial_number)


@dataclass
class Txn:
    """One transaction, keyed by (merId, orderId, txnTime) as UnionPay keys them."""

    mer_id: str
    order_id: str
    txn_time: str
    txn_type: str  # "01" consume, "04" refund
    amount_fen: int
    query_id: str
    back_url: str
    front_url: str = ""
    pay_timeout: datetime | None = None
    orig_qry_id: str = ""
    req_reserved: str = ""
    channel_type: str = "07"
    status: str = WAIT
    settle_date: str = ""


@dataclass
class Controls:
    """Misbehaviour on request (tests and ``/sandbox/controls`` set it; the gateway consumes it).

    ``fail``: path (``queryTrans``/``backTransReq``) → how many next calls answer respCode 06;
    ``notify_delay`` seconds before a notice's first delivery; ``duplicate``: next notices sent
    twice; ``lose``: next delivery attempts that vanish; ``refund_delay``: seconds a refund stays
    "processing" (origRespCode 05) before it succeeds and is notified; ``bill_today``: serve
    today's reconciliation file (UnionPay serves a settlement day's file the next day).
    """

    fail: dict[str, int] = field(default_factory=dict)
    notify_delay: float = 0.0
    duplicate: int = 0
    lose: int = 0
    refund_delay: float = 0.0
    bill_today: bool = False

    def take(self, name: str) -> bool:
        """Consume one unit of the ``duplicate`` or ``lose`` counter; True if there was one."""
        left = int(getattr(self, name))
        if left > 0:
            setattr(self, name, left - 1)
        return left > 0

    def take_failure(self, api: str) -> bool:
        """Consume one planned failure of ``api``; True if there was one."""
        left = self.fail.get(api, 0)
        if left > 0:
            self.fail[api] = left - 1
        return left > 0
