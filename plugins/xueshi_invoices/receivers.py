"""Receivers of payments' signals: a refund of an invoiced order starts red-letter forms."""

from __future__ import annotations

from typing import Any

from .models import RequestOrder


def on_refund_succeeded(sender: Any, event: Any, **kwargs: Any) -> None:
    """REFUND_SUCCEEDED: red forms for the order's request (idempotent on the refund number)."""
    from . import redletter

    request_id = (
        RequestOrder.objects.filter(order_no=event.order_no).values_list("request_id", flat=True).first()
    )
    if request_id is not None:
        redletter.sync_red_forms(request_id)
