"""Small ACP form helpers: Beijing ``YYYYMMDDhhmmss`` stamps, ``orderId`` rules, notice bodies."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from .base import ChannelError

BEIJING = ZoneInfo("Asia/Shanghai")
STAMP = "%Y%m%d%H%M%S"
_ORDER_ID = re.compile(r"^[0-9A-Za-z]{8,40}$")


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
