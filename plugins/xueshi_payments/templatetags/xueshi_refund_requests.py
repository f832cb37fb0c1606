"""Template helpers of learners' refund requests, so "my orders" asks the one rule (``may_ask``)."""

from __future__ import annotations

from typing import Any

from django import template

from .. import refund_requests
from ..refund_request_models import RefundRequest

register = template.Library()


@register.filter
def may_ask_refund(order: Any) -> bool:
    """Whether the order's payer may ask for a refund now."""
    return refund_requests.may_ask(order)


@register.filter
def refund_request_of(order: Any) -> RefundRequest | None:
    """The order's refund request, if any."""
    return RefundRequest.objects.filter(order=order).select_related("refund").first()
