"""What order pages show, built once for the payer's page, my orders and the operator's detail."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from . import products, states
from .channels import registry
from .models import Order


def qr_svg(text: str) -> str:
    """The QR code of a pay URL as inline SVG (segno), for scanning with the provider's app."""
    import segno

    return str(segno.make(text, error="m").svg_inline(scale=5))


def rejection(order: Order) -> str:
    """The reason of the last receipt rejection, while the order waits for a new receipt."""
    if order.state != states.PENDING:
        return ""
    last = order.transitions.order_by("-at", "-id").first()
    if last is not None and last.from_state == states.REVIEWING:
        return last.reason
    return ""


def channel_label(name: str) -> str:
    """The channel's label, or its name when it is no longer configured."""
    try:
        return str(registry.info(name).label)
    except registry.UnknownChannel:
        return name


def order_view(order: Order, request: HttpRequest) -> dict[str, Any]:
    """Context of an order's page: amounts in yuan, state, lines, next step, receipts, refunds."""
    action = order.pay_action or {}
    lines = list(order.lines.select_related("learner").all())
    upload = getattr(order, "employer_upload", None)  # an employer's list, when the order came from one
    return {
        "order": order,
        "amount": products.yuan(order.amount_fen),
        "refunded": products.yuan(order.refunded_fen),
        "state_label": order.state_label,
        "channel_label": channel_label(order.channel),
        "lines": lines,
        # An employer's purchaser pays for others: "start studying" only for the viewer's own lines.
        "my_lines": [line for line in lines if line.learner_id == getattr(request.user, "pk", None)],
        "employer_upload": upload,
        "receipts": list(order.receipts.defer("content").all()),
        "refunds": [(r, products.yuan(r.amount_fen)) for r in order.refunds.all()],
        "payable": order.state in states.PAYABLE,
        "fulfilled": order.state == states.FULFILLED,
        "transfer": order.channel == "transfer",
        "account": action.get("params", {}) if action.get("kind") == "transfer" else {},
        "qr": qr_svg(action["url"]) if action.get("kind") == "qr" and action.get("url") else "",
        "qr_text": action.get("url", "") if action.get("kind") == "qr" else "",
        "pay_url": action.get("url", "") if action.get("kind") == "redirect" else "",
        "jsapi": dict(action.get("params") or {}) if action.get("kind") == "jsapi" else {},
        # UnionPay: a signed form posted to the bank's gateway; sent by itself right after checkout.
        "pay_form": action if action.get("kind") == "form" and action.get("url") else {},
        "pay_form_fields": sorted(dict(action.get("params") or {}).items())
        if action.get("kind") == "form"
        else [],
        "auto_pay": request.GET.get("pay") == "1",
        "rejection": rejection(order),
        "is_payer": order.payer_id == getattr(request.user, "pk", None),
    }
