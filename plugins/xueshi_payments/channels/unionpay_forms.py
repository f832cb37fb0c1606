"""Small ACP form helpers: Beijing ``YYYYMMDDhhmmss`` stamps, ``orderId`` rules, notice bodies."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

from .base import ChannelError, NoticeRejected

BEIJING = ZoneInfo("Asia/Shanghai")
STAMP = "%Y%m%d%H%M%S"
_ORDER_ID = re.compile(r"^[0-9A-Za-z]{8,40}$")
MAX_NOTICE_BYTES = 64 * 1024


def beijing_stamp(moment: datetime) -> str:
    """``YYYYMMDDhhmmss`` in Beijing time, ACP's ``txnTime`` and ``payTimeout`` format."""
    return moment.astimezone(BEIJING).strftime(STAMP)


def check_order_id(order_id: str) -> None:
    """ACP's ``orderId``: 8 to 40 letters or digits (no ``-`` or ``_``)."""
    if not _ORDER_ID.match(order_id):
        raise ChannelError(
            "bad_order_no", f"ACP orderId must be 8-40 letters or digits: {order_id!r}", retryable=False
        )


def parse_stamp(text: str) -> datetime | None:
    """An ACP time as an aware Beijing datetime; ``None`` when absent or malformed."""
    try:
        return datetime.strptime(text, STAMP).replace(tzinfo=BEIJING) if text else None
    except ValueError:
        return None


def decode_form(body: bytes) -> dict[str, str]:
    """The notice's form fields, refusing anything ambiguous (repeated names, bad encoding)."""
    if not body or len(body) > MAX_NOTICE_BYTES:
        raise NoticeRejected("malformed", "empty or oversized body")
    try:
        pairs = parse_qsl(body.decode("ascii"), keep_blank_values=True, strict_parsing=True, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise NoticeRejected("malformed", "not a URL-encoded form") from None
    form = dict(pairs)
    if len(form) != len(pairs):
        raise NoticeRejected("malformed", "a field appears twice")
    return form
