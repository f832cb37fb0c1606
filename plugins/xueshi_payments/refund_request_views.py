"""Pages of refund requests: the learner's form on "my orders" and the operators' review list.

Asking needs only a signed-in payer; deciding needs ``MANAGE_ORDERS``; the list needs
``VIEW_ORDERS``. Every refusal is a 4xx with the reason (``RequestRefused.status``).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xueshi_core.guards import requires
from xueshi_core.permissions import MANAGE_ORDERS, VIEW_ORDERS, may

from . import refund_requests
from .products import yuan
from .refund_request_models import RefundRequest


def _refuse(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "xueshi_payments/error.html", {"message": message}, status=status)


@login_required
@require_POST
def ask(request: HttpRequest, order_no: str) -> HttpResponse:
    """The payer asks for a refund of a paid order, with a reason."""
    try:
        refund_requests.ask(order_no[:32], request.user, request.POST.get("reason", ""))
    except refund_requests.RequestRefused as exc:
        return _refuse(request, exc.reason, exc.status)
    return redirect("xueshi_payments:my-orders")


@requires(VIEW_ORDERS)
@require_GET
def review(request: HttpRequest) -> HttpResponse:
    """Refund requests, those waiting first, with the order's amount and the learner's reason."""
    state = request.GET.get("state", RefundRequest.PENDING)
    rows = RefundRequest.objects.select_related("order", "learner", "decided_by", "refund")
    if state in RefundRequest.STATES:
        rows = rows.filter(state=state)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    for row in page:
        row.amount = yuan(row.order.amount_fen)
    context = {
        "page": page,
        "state": state,
        "states": list(RefundRequest.STATES.items()),
        "may_manage": may(request.user, MANAGE_ORDERS),
    }
    return render(request, "xueshi_payments/refund_requests.html", context)


@requires(MANAGE_ORDERS)
@require_POST
def decide(request: HttpRequest, request_id: int) -> HttpResponse:
    """``action`` = approve (refund what is left) | reject (with ``reason``)."""
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    try:
        if action == "approve":
            refund_requests.approve(int(request_id), request.user, reason)
        elif action == "reject":
            refund_requests.reject(int(request_id), request.user, reason)
        else:
            return _refuse(request, _("Unknown action."), 400)
    except refund_requests.RequestRefused as exc:
        return _refuse(request, exc.reason, exc.status)
    return redirect("xueshi_payments:refund-requests")
