"""Learner pages: "我的发票" (request after paying, states, downloads) and the provider's callback."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from xueshi_payments import api as payments_api

from . import amounts, requests_, signing_links
from .models import Invoice, InvoiceFile, InvoiceRequest, RedForm, RequestOrder

log = logging.getLogger(__name__)
CONTENT_TYPES = {"pdf": "application/pdf", "ofd": "application/ofd", "xml": "application/xml"}


def _error(request: HttpRequest, reason: str, status: int) -> HttpResponse:
    return render(request, "xueshi_invoices/error.html", {"reason": reason}, status=status)


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The account's invoice requests with their invoices, and paid orders not yet invoiced."""
    rows = (
        InvoiceRequest.objects.filter(requester=request.user)
        .prefetch_related("orders", "invoices__files", "invoices__red_form")
        .order_by("-created_at")[:100]
    )
    taken = set(
        RequestOrder.objects.filter(request__requester=request.user).values_list("order_no", flat=True)
    )
    open_orders = [
        {"order": o, "amount": amounts.yuan(o.amount_fen - o.refunded_fen)}
        for o in payments_api.paid_orders_of(request.user.id)
        if o.order_no not in taken and o.money_received and o.refunded_fen < o.amount_fen
    ]
    requests_view = [
        {"row": r, "amount": amounts.yuan(r.gross_fen), "invoices": list(r.invoices.all())} for r in rows
    ]
    reds = RedForm.objects.filter(blue__request__requester=request.user).exclude(state=RedForm.ISSUED)
    context = {"requests": requests_view, "open_orders": open_orders, "pending_reds": reds}
    return render(request, "xueshi_invoices/mine.html", context)


@login_required
@require_POST
def create(request: HttpRequest) -> HttpResponse:
    """Make a request from the form; a refusal answers 4xx with the reason and changes nothing."""
    try:
        requests_.create_request(request.user, request.POST.getlist("order_no"), request.POST.dict())
    except requests_.RequestRefused as refused:
        return _error(request, refused.reason, refused.status)
    return redirect("xueshi_invoices:mine")


@login_required
@require_GET
def download(request: HttpRequest, number: str, kind: str) -> HttpResponse:
    """One file of one of the account's invoices (PDF to print, OFD the original, XML)."""
    invoice = Invoice.objects.filter(number=number, request__requester=request.user).first()
    stored = InvoiceFile.objects.filter(invoice=invoice, kind=kind).first() if invoice else None
    if stored is None:
        return _error(request, _("There is no such invoice file."), 404)
    disposition = "inline" if kind == "pdf" else "attachment"
    response = FileResponse(stored.content.open("rb"), content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = f'{disposition}; filename="{number}.{kind}"'
    return response


@csrf_exempt
@require_POST
def callback(request: HttpRequest, kind: str, serial: str, tag: str) -> HttpResponse:
    """The provider's result push: tag checked, content ignored, the provider queried instead."""
    if not signing_links.tag_ok(kind, serial, tag):
        log.warning("forged invoice callback for %s %s refused", kind, serial)
        return JsonResponse({"status": "9999", "message": "forbidden"}, status=403)
    from . import issuing, redletter

    if kind == "request":
        row = InvoiceRequest.objects.filter(serial=serial).values_list("pk", flat=True).first()
        if row is None:
            return JsonResponse({"status": "9999", "message": "unknown"}, status=404)
        issuing.step(row)
    else:
        red = RedForm.objects.filter(serial=serial).values_list("pk", flat=True).first()
        if red is None:
            return JsonResponse({"status": "9999", "message": "unknown"}, status=404)
        redletter.step(red)
    return JsonResponse({"status": "0000", "message": "success"})
