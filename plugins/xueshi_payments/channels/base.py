"""What every payment channel offers the order logic, and what it hands back.

The order logic (``xueshi_payments.orders``) never sees a provider's wire format: a channel turns
an order into a pay action, a signed notice into a ``ProviderEvent`` (or refuses it), and answers
queries, refunds and bills in these shapes. So WeChat Pay, Alipay and later channels are tested
against their sandbox servers on their own, and the "one effect per payment" rules are written
once, against these types.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol
from urllib.parse import parse_qsl

#: ``ProviderEvent.kind`` values.
PAID = "paid"
CLOSED = "closed"
REFUND_SUCCEEDED = "refund_succeeded"
REFUND_FAILED = "refund_failed"

#: ``PaymentRequest.scene`` values: where the payer is.
NATIVE = "native"  # PC browser: a QR code to scan with the provider's app
JSAPI = "jsapi"  # inside WeChat: the in-app pay sheet (needs the payer's openid)
H5 = "h5"  # phone browser: a redirect into the provider's app
PAGE = "page"  # PC browser: Alipay's cashier page
WAP = "wap"  # phone browser: Alipay's mobile cashier


@dataclass(frozen=True)
class PaymentRequest:
    """A frozen order as a channel needs it; amounts are integer fen."""

    order_no: str
    amount_fen: int
    description: str
    expires_at: datetime
    notify_url: str
    return_url: str
    client_ip: str
    scene: str
    openid: str = ""
    #: ``PayAction.sent_at`` of an earlier start of this order: the channel reuses it, so a
    #: restarted checkout is the same provider transaction (UnionPay's ``txnTime``, ADR 0165).
    sent_at: str = ""


@dataclass(frozen=True)
class PayAction:
    """What the checkout page does next: show a QR (``url`` is its text), redirect, or call a JS bridge."""

    kind: str  # "qr" | "redirect" | "jsapi" | "form"
    url: str = ""
    params: Mapping[str, str] = field(default_factory=dict)
    #: What the channel needs later to find this transaction again (UnionPay's ``txnTime``); the
    #: order keeps it (``Order.provider_sent_at``) and passes it back through ``sent_args``.
    sent_at: str = ""


def sent_args(sent_at: str) -> dict[str, str]:
    """``{"sent_at": …}`` for ``query``/``close``/``refund``/``query_refund`` when the order has one.

    Only channels whose ``start`` returns a ``PayAction.sent_at`` (UnionPay) take the optional
    ``sent_at`` argument; for the others the order has none and nothing is passed. ADR 0165.
    """
    return {"sent_at": sent_at} if sent_at else {}


def refund_args(order_sent_at: str, refund_sent_at: str) -> dict[str, str]:
    """``sent_args`` for ``refund``/``query_refund``, plus the refund's own key when it has one."""
    return {**sent_args(order_sent_at), **({"refund_sent_at": refund_sent_at} if refund_sent_at else {})}


@dataclass(frozen=True)
class ProviderEvent:
    """A verified fact from a provider; stored once per (provider, event_id)."""

    provider: str
    event_id: str
    kind: str
    order_no: str
    amount_fen: int
    merchant_id: str
    app_id: str
    provider_trade_no: str
    raw: str
    refund_no: str = ""
    occurred_at: datetime | None = None


@dataclass(frozen=True)
class TradeStatus:
    """An active query's answer: ``state`` is "paid", "unpaid", "closed" or "refunded"."""

    order_no: str
    state: str
    amount_fen: int
    provider_trade_no: str
    raw: str


@dataclass(frozen=True)
class RefundResult:
    """A refund's state at the provider: "processing", "succeeded" or "failed"."""

    refund_no: str
    state: str
    raw: str
    #: The provider's key of this refund besides its number (UnionPay's ``txnTime``): the refund
    #: row keeps it (``Refund.provider_sent_at``) and passes it back through ``refund_args``.
    sent_at: str = ""


@dataclass(frozen=True)
class BillLine:
    """One line of a provider's daily bill, for reconciliation."""

    order_no: str
    provider_trade_no: str
    kind: str  # "payment" | "refund"
    amount_fen: int
    occurred_at: datetime
    refund_no: str = ""


class NoticeRejected(Exception):
    """A notice that must not change anything (bad signature, unknown key, stale, probe, tampered)."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason


#: Form notices (Alipay, UnionPay) are a few KB; anything larger is refused before parsing.
MAX_FORM_NOTICE_BYTES = 64 * 1024


def decode_form_notice(body: bytes) -> dict[str, str]:
    """A notice's URL-encoded form fields, refusing anything ambiguous (repeated names, bad encoding).

    Alipay and UnionPay post their notices as ASCII forms; a name that appears twice could be read
    one way by the signature check and another by the code that acts on it, so it is refused.
    """
    if not body or len(body) > MAX_FORM_NOTICE_BYTES:
        raise NoticeRejected("malformed", "empty or oversized body")
    try:
        pairs = parse_qsl(body.decode("ascii"), keep_blank_values=True, strict_parsing=True, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise NoticeRejected("malformed", "not a URL-encoded form") from None
    form = dict(pairs)
    if len(form) != len(pairs):
        raise NoticeRejected("malformed", "a field appears twice")
    return form


class ChannelError(Exception):
    """A provider call that failed; ``retryable`` says whether the same request may be sent again."""

    def __init__(self, code: str, reason: str, *, retryable: bool) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason
        self.retryable = retryable


class PaymentChannel(Protocol):
    """One provider. Implementations hold their keys and endpoints, read from settings.

    A channel whose ``start`` returns ``PayAction.sent_at`` also takes an optional ``sent_at``
    keyword in ``query``, ``close``, ``refund`` and ``query_refund`` (see ``sent_args``); one whose
    ``refund`` returns ``RefundResult.sent_at`` also takes ``refund_sent_at`` there (``refund_args``).
    """

    name: str

    def start(self, request: PaymentRequest) -> PayAction:
        """Create the provider-side order and say how the payer pays."""
        ...

    def parse_notice(self, headers: Mapping[str, str], body: bytes) -> ProviderEvent:
        """Verify a notice on its raw body and decode it; raise ``NoticeRejected`` otherwise."""
        ...

    def notice_reply(self, accepted: bool) -> tuple[int, str, bytes]:
        """The acknowledgement the provider expects: (HTTP status, content type, body)."""
        ...

    def query(self, order_no: str) -> TradeStatus:
        """Ask the provider for an order's state (the beat task and the return page use it)."""
        ...

    def close(self, order_no: str) -> None:
        """Close an unpaid order at the provider (at expiry), so it can no longer be paid."""
        ...

    def refund(
        self, order_no: str, refund_no: str, refund_fen: int, total_fen: int, reason: str
    ) -> RefundResult:
        """Ask for a refund; the same ``refund_no`` may be sent again until the refund is final."""
        ...

    def query_refund(self, order_no: str, refund_no: str) -> RefundResult:
        """Ask for a refund's state."""
        ...

    def download_bill(self, day: date) -> list[BillLine]:
        """Yesterday's (or ``day``'s) trade bill, checked (hash or signature) and parsed."""
        ...


@dataclass(frozen=True)
class ChannelInfo:
    """What pages show about a channel: its name, label and the scenes it serves."""

    name: str
    label: str
    scenes: tuple[str, ...] = ()
