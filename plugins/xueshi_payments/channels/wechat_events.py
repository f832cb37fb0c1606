"""Turning a verified, decrypted WeChat Pay notice into a ``ProviderEvent``.

Event ids are the provider's own references, not the notice's ``id``: ``TRANSACTION.SUCCESS:<
transaction_id>`` and ``REFUND.<status>:<refund_id>``, so every retry or duplicate of a notice,
whatever its envelope, is one event to the order logic. Amounts, ``mchid`` and ``appid`` are
passed on as WeChat Pay sent them; comparing them with the order is the order logic's job (a
mismatch means "needs attention", not a refusal here). ADR 0141.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from .base import PAID, REFUND_FAILED, REFUND_SUCCEEDED, NoticeRejected, ProviderEvent

PROVIDER = "wechat"
REFUND_KINDS = {
    "REFUND.SUCCESS": REFUND_SUCCEEDED,
    "REFUND.CLOSED": REFUND_FAILED,
    "REFUND.ABNORMAL": REFUND_FAILED,
}


def _time(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def _need(data: dict[str, Any], *path: str) -> Any:
    value: Any = data
    for name in path:
        value = value.get(name) if isinstance(value, dict) else None
    if value in (None, ""):
        raise NoticeRejected("malformed_notice", f"the resource lacks {'.'.join(path)}")
    return value


def _fen(data: dict[str, Any], *path: str) -> int:
    value = _need(data, *path)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise NoticeRejected("malformed_notice", f"{'.'.join(path)} is not a whole number of fen")
    return value


def to_event(envelope: dict[str, Any], resource: dict[str, Any]) -> ProviderEvent:
    """The ``ProviderEvent`` a notice stands for; ``NoticeRejected("unknown_event")`` for others."""
    event_type = str(envelope.get("event_type") or "")
    raw = json.dumps(
        {"notice": {k: v for k, v in envelope.items() if k != "resource"}, "resource": resource},
        ensure_ascii=False,
        sort_keys=True,
    )
    if event_type == "TRANSACTION.SUCCESS":
        if resource.get("trade_state") != "SUCCESS":
            raise NoticeRejected("malformed_notice", "TRANSACTION.SUCCESS without trade_state SUCCESS")
        transaction_id = str(_need(resource, "transaction_id"))
        return ProviderEvent(
            provider=PROVIDER,
            event_id=f"{event_type}:{transaction_id}",
            kind=PAID,
            order_no=str(_need(resource, "out_trade_no")),
            amount_fen=_fen(resource, "amount", "total"),
            merchant_id=str(_need(resource, "mchid")),
            app_id=str(_need(resource, "appid")),
            provider_trade_no=transaction_id,
            raw=raw,
            occurred_at=_time(resource.get("success_time")),
        )
    if event_type in REFUND_KINDS:
        refund_id = str(_need(resource, "refund_id"))
        return ProviderEvent(
            provider=PROVIDER,
            event_id=f"{event_type}:{refund_id}",
            kind=REFUND_KINDS[event_type],
            order_no=str(_need(resource, "out_trade_no")),
            amount_fen=_fen(resource, "amount", "refund"),
            merchant_id=str(_need(resource, "mchid")),
            app_id="",  # refund notices carry no appid
            provider_trade_no=str(resource.get("transaction_id") or ""),
            raw=raw,
            refund_no=str(_need(resource, "out_refund_no")),
            occurred_at=_time(resource.get("success_time")) or _time(envelope.get("create_time")),
        )
    raise NoticeRejected("unknown_event", f"event_type {event_type[:64]!r} is not a payment or refund notice")
