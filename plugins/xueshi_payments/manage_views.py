"""Operators' pages: orders (filter, detail with transitions), transfer review, refunds, resolving, export.

Reading needs ``VIEW_ORDERS`` (operators, auditors); every change needs ``MANAGE_ORDERS`` and a
reason, goes through the order logic (locks, the state table) and answers 4xx with the reason
when refused. Amounts are typed in yuan (two decimals at most) and turned into fen exactly.
"""

from __future__ import annotations

import re

from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xueshi_core.guards import requires
from xueshi_core.permissions import MANAGE_ORDERS, VIEW_ORDERS, may

from . import enrolment, orders, refunds, states, transfers
from .exports import orders_xlsx
from .models import Order
from .presenting import order_view

_YUAN = re.compile(r"^\d{1,9}(\.\d{1,2})?$")


def yuan_to_fen(text: str) -> int | None:
    """``"12.5"`` -> 1250; None for anything that is not a plain amount with at most two decimals."""
    text = text.strip()
    if not _YUAN.match(text):
        return None
    whole, _dot, cents = text.partition(".")
    return int(whole) * 100 + int((cents + "00")[:2])


def _filtered(request: HttpRequest):  # type: ignore[no-untyped-def]
    rows = Order.objects.select_related("payer").order_by("-created_at")
    state = request.GET.get("state", "")
    if state in states.STATES:
        rows = rows.filter(state=state)
    elif state == "flagged":
        rows = rows.exclude(attention_reason="")
    query = request.GET.get("q", "").strip()[:64]
    if query:
        rows = rows.filter(order_no=query) | rows.filter(payer__username=query)
    return rows, state, query


@requires(VIEW_ORDERS)
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    """Orders, newest first, filtered by state (or "flagged") and by order number or payer."""
    rows, state, query = _filtered(request)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "state": state,
        "q": query,
        "states": list(states.LABELS.items()),
        "query": request.GET.urlencode(),
    }
    return render(request, "xueshi_payments/manage.html", context)


@requires(VIEW_ORDERS)
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """The filtered orders as xlsx."""
    rows, _state, _query = _filtered(request)
    response = HttpResponse(
        orders_xlsx(rows[:20000]),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="orders.xlsx"'
    return response


@requires(VIEW_ORDERS)
@require_GET
def detail(request: HttpRequest, order_no: str) -> HttpResponse:
    """One order: lines, every transition with its raw message, events, refunds, receipts, actions."""
    order = Order.objects.filter(order_no=order_no[:32]).select_related("payer").first()
    if order is None:
        return _refuse(request, _("There is no such order."), 404)
    context = order_view(order, request)
    context.update(
        {
            "transitions": order.transitions.select_related("actor").all(),
            "events": order.events.all(),
            "refundable": order.state in states.REFUNDABLE,
            "reviewing": order.state == states.REVIEWING,
            "attention": order.state == states.ATTENTION,
            "may_manage": may(request.user, MANAGE_ORDERS),
        }
    )
    return render(request, "xueshi_payments/detail.html", context)


def _refuse(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "xueshi_payments/error.html", {"message": message}, status=status)


@requires(MANAGE_ORDERS)
@require_POST
def act(request: HttpRequest, order_no: str) -> HttpResponse:
    """``action`` = confirm | reject | refund | accept | close, each with its fields."""
    order_no = order_no[:32]
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "").strip()[:200]
    try:
        if action == "confirm":
            transfers.confirm(order_no, request.user, reason)
        elif action == "reject":
            transfers.reject(order_no, request.user, reason)
        elif action == "refund":
            fen = yuan_to_fen(request.POST.get("amount", ""))
            if fen is None:
                return _refuse(request, _("Type the amount in yuan, e.g. 30 or 12.50."), 400)
            refund = refunds.request_refund(order_no, fen, reason, request.user)
            refunds.send_refund(refund.refund_no)
        elif action in ("accept", "close"):
            error = _resolve(order_no, action, reason, request.user)
            if error:
                return _refuse(request, error, 409 if reason else 400)
        else:
            return _refuse(request, _("Unknown action."), 400)
    except transfers.ReceiptRefused as exc:
        return _refuse(request, exc.reason, exc.status)
    except refunds.RefundRefused as exc:
        return _refuse(request, str(exc), 409 if "state" in str(exc) else 400)
    return redirect("xueshi_payments:detail", order_no=order_no)


def _resolve(order_no: str, action: str, reason: str, operator: object) -> str:
    """Accept the payment of an order needing attention (then enrol) or close it; "" when done."""
    if not reason:
        return _("Give the reason.")
    with transaction.atomic():
        order = orders.locked(order_no)
        if order is None or order.state != states.ATTENTION:
            return _("Only an order needing attention can be resolved.")
        target = states.PAID if action == "accept" else states.CLOSED
        orders.transition(order, target, reason, actor=operator)
        order.attention_reason = ""
        order.save(update_fields=["attention_reason"])
    if target == states.PAID:
        enrolment.enrol_order(order_no)
    return ""
