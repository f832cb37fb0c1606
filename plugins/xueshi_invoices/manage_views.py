"""Operator pages: search invoice requests, approve/retry/resend, red forms, xlsx export, clerk login."""

from __future__ import annotations

import io

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from openpyxl import Workbook

from xueshi_core.audit import FullViewDenied
from xueshi_core.guards import requires
from xueshi_core.permissions import MANAGE_INVOICES, REVEAL_PERSONAL_DATA, VIEW_INVOICES, may
from xueshi_core.spreadsheets import append_row

from . import amounts, clerk, issuing, mailing, personal, redletter
from .models import InvoiceRequest, RedForm
from .tasks import enqueue_red, enqueue_request


def _filtered(request: HttpRequest):
    rows = InvoiceRequest.objects.select_related("requester").prefetch_related("invoices", "orders")
    state = request.GET.get("state", "")
    if state in InvoiceRequest.STATES:
        rows = rows.filter(state=state)
    query = request.GET.get("q", "").strip()[:64]
    if query:
        rows = rows.filter(
            Q(serial=query)
            | Q(buyer_name__icontains=query)
            | Q(buyer_tax_id=query)
            | Q(orders__order_no=query)
            | Q(invoices__number=query)
        ).distinct()
    return rows.order_by("-created_at"), state, query


@requires(VIEW_INVOICES)
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    """Requests (searchable by serial, buyer, tax number, order, invoice number), failures first."""
    rows, state, query = _filtered(request)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    for row in page:
        row.masked = personal.masked(row)
    context = {
        "page": page,
        "state": state,
        "query": query,
        "states": InvoiceRequest.STATES,
        "failed_reds": RedForm.objects.filter(state=RedForm.FAILED).select_related("blue")[:50],
        "clerk": clerk.login_state(),
        "may_manage": may(request.user, MANAGE_INVOICES),
        "may_reveal": may(request.user, REVEAL_PERSONAL_DATA),
        "yuan": amounts.yuan,
    }
    return render(request, "xueshi_invoices/manage.html", context)


@requires(MANAGE_INVOICES)
@require_POST
def act(request: HttpRequest, serial: str) -> HttpResponse:
    """``approve``/``retry`` (queue it again), ``resend`` (the email)."""
    row = InvoiceRequest.objects.filter(serial=serial[:32]).first()
    action = request.POST.get("action", "")
    if row is None:
        return render(
            request,
            "xueshi_invoices/error.html",
            {"reason": _("There is no such invoice request.")},
            status=404,
        )
    if action in ("approve", "retry"):
        if row.state not in (InvoiceRequest.PENDING, InvoiceRequest.FAILED):
            return render(
                request,
                "xueshi_invoices/error.html",
                {"reason": _("This request cannot be retried in its current state.")},
                status=409,
            )
        issuing.retry(row.pk)
        enqueue_request(row.pk)
    elif action == "resend":
        if not mailing.send_invoice_mail(row.pk):
            return render(
                request,
                "xueshi_invoices/error.html",
                {"reason": _("There is no email address, or the invoice is not issued yet.")},
                status=409,
            )
    else:
        return render(request, "xueshi_invoices/error.html", {"reason": _("Unknown action.")}, status=400)
    return redirect("xueshi_invoices:manage")


@requires(MANAGE_INVOICES)
@require_POST
def retry_red(request: HttpRequest, serial: str) -> HttpResponse:
    """Retry a failed red-letter form from where it stopped."""
    form = RedForm.objects.filter(serial=serial[:32]).first()
    if form is None or form.state != RedForm.FAILED:
        return render(
            request,
            "xueshi_invoices/error.html",
            {"reason": _("There is no failed red-letter form to retry.")},
            status=409,
        )
    redletter.retry(form.pk)
    enqueue_red(form.pk)
    return redirect("xueshi_invoices:manage")


@requires(VIEW_INVOICES)
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """The filtered requests and their invoices as xlsx (core's safe cell writer)."""
    rows, _state, _query = _filtered(request)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("发票")
    head = [
        "申请流水号",
        "申请时间",
        "抬头类型",
        "购方名称",
        "购方税号",
        "地址电话",
        "开户行及账号",
        "邮箱",
        "订单号",
        "价税合计(元)",
        "税额(元)",
        "状态",
        "发票号码",
    ]
    append_row(sheet, head)
    for row in rows[:20000]:
        numbers = " ".join(f"{i.number}({'红' if i.kind == 'red' else '蓝'})" for i in row.invoices.all())
        append_row(
            sheet,
            [
                row.serial,
                timezone.localtime(row.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                row.get_title_kind_display(),
                row.buyer_name,
                row.buyer_tax_id,
                *personal.masked(row).values(),
                " ".join(o.order_no for o in row.orders.all()),
                amounts.yuan(row.gross_fen),
                amounts.yuan(row.tax_fen),
                row.state_label,
                numbers,
            ],
        )
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="invoices.xlsx"'
    return response


@requires(VIEW_INVOICES)
@require_POST
def reveal(request: HttpRequest, serial: str) -> HttpResponse:
    """One buyer field in full, for staff allowed full views; the view is written to the audit log."""
    row = InvoiceRequest.objects.filter(serial=serial[:32]).first()
    field = request.POST.get("field", "")
    if row is None:
        return render(
            request,
            "xueshi_invoices/error.html",
            {"reason": _("There is no such invoice request.")},
            status=404,
        )
    if field not in personal.FIELDS:
        return render(request, "xueshi_invoices/error.html", {"reason": _("Unknown field.")}, status=400)
    try:
        value = personal.reveal(row, field, actor=request.user, http_request=request)
    except FullViewDenied:
        return render(
            request,
            "xueshi_invoices/error.html",
            {"reason": _("Your roles do not allow full views of personal data.")},
            status=403,
        )
    return render(request, "xueshi_invoices/reveal.html", {"row": row, "field": field, "value": value})
