"""Employer order pages: the purchaser's list, a new list of learners, its per-row report, paying it.

The purchaser (``ORDER_FOR_STAFF``, role 单位采购人, bound to its employers by ``AccountScope``) sees
its own uploads; operators and auditors (``VIEW_ORDERS``) open any upload's report from the order
detail. The report shows masked names and ID numbers only, on the page and in the xlsx.
"""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xueshi_core import permissions
from xueshi_core.guards import requires
from xueshi_core.spreadsheets import append_row
from xueshi_identity import api as identity

from . import compat, conf, employer_orders, paying, products, scenes, states
from .channels import registry
from .employer_models import EmployerUpload
from .models import Order

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Room for the multipart envelope around the workbook and the form fields.
FORM_OVERHEAD_BYTES = 64 * 1024
MAX_WORKBOOK_BYTES = 5 * 1024 * 1024


def _error(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "xueshi_payments/error.html", {"message": message}, status=status)


def _upload_for(request: HttpRequest, upload_id: int) -> EmployerUpload:
    """The purchaser's own upload, or any for those who may view orders; 404 otherwise."""
    upload = EmployerUpload.objects.select_related("order", "product").filter(pk=upload_id).first()
    if upload is None or not (
        upload.purchaser_id == request.user.pk or permissions.may(request.user, permissions.VIEW_ORDERS)
    ):
        raise Http404(_("There is no such list."))
    return upload


@requires(permissions.ORDER_FOR_STAFF)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The courses on sale (to order for staff) and the purchaser's recent lists."""
    courses = []
    for key in compat.priced_course_keys(conf.paid_currency()):
        price = products.course_price(key)
        if price is not None:
            courses.append(
                {
                    "key": key,
                    "title": compat.course_title(key) or key,
                    "price": products.yuan(price.price_fen),
                }
            )
    uploads = EmployerUpload.objects.filter(purchaser=request.user).select_related("order", "product")[:50]
    return render(request, "xueshi_payments/employer_index.html", {"courses": courses, "uploads": uploads})


@requires(permissions.ORDER_FOR_STAFF)
@require_GET
def template(request: HttpRequest) -> HttpResponse:
    """The learner workbook: the identity app's import template (existing learners: ID columns only)."""
    response = HttpResponse(identity.import_template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="employer-order-learners.xlsx"'
    return response


@requires(permissions.ORDER_FOR_STAFF)
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest, course_key: str) -> HttpResponse:
    """GET: the form (ID numbers or a workbook, payment method); POST: judge the rows, freeze the order."""
    title = compat.course_title(course_key)
    offer = products.offer_for(products.course_product(course_key, title)) if title else None
    if offer is None:
        return _error(request, _("There is no such course on sale."), 404)
    channels = [registry.info(name) for name in registry.names()]
    context = {"offer": offer, "price": products.yuan(offer.amount_fen), "channels": channels}
    if request.method == "GET":
        return render(request, "xueshi_payments/employer_new.html", context)
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if not declared.isdigit() or int(declared) > MAX_WORKBOOK_BYTES + FORM_OVERHEAD_BYTES:
        return _error(request, _("The file is larger than 5 MB."), 413)
    channel = request.POST.get("channel", "")
    if channel not in registry.names():
        return _error(request, _("Choose one of the payment methods offered."), 400)
    workbook = request.FILES.get("workbook")
    try:
        if workbook is not None:
            rows = employer_orders.rows_from_workbook(workbook.read(MAX_WORKBOOK_BYTES + 1))
            source = employer_orders.XLSX
        else:
            rows = employer_orders.rows_from_text(request.POST.get("id_numbers", "")[:200_000])
            source = employer_orders.TEXT
    except employer_orders.UploadRefused as exc:
        return _error(request, str(exc), 400)
    lifetime = conf.transfer_order_lifetime() if channel == "transfer" else conf.online_order_lifetime()
    scene = scenes.scene_for(channel, request.headers.get("User-Agent", ""))
    upload, _order = employer_orders.place(request.user, offer, rows, source, channel, scene, lifetime)
    return redirect("xueshi_payments:employer-upload", upload_id=upload.pk)


@login_required
@require_GET
def upload_page(request: HttpRequest, upload_id: int) -> HttpResponse:
    """The per-row report, the total, and the button to pay the one order."""
    upload = _upload_for(request, upload_id)
    order = upload.order
    context = {
        "upload": upload,
        "rows": list(upload.rows.all()),
        "order": order,
        "amount": products.yuan(order.amount_fen) if order else "",
        "payable": bool(order and order.state in states.PAYABLE and order.payer_id == request.user.pk),
    }
    return render(request, "xueshi_payments/employer_upload.html", context)


@login_required
@require_GET
def upload_report(request: HttpRequest, upload_id: int) -> HttpResponse:
    """The per-row report as xlsx (masked), for the purchaser's HR office and the finance office."""
    upload = _upload_for(request, upload_id)
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(_("Learners")))
    headers = (_("Row"), _("Name"), _("ID number"), _("Result"), _("Reason"), _("Account created"))
    append_row(sheet, [str(h) for h in headers])
    for row in upload.rows.all():
        result = _("accepted") if not row.reason else _("refused")
        created = _("yes") if row.created_account else ""
        append_row(
            sheet, [row.row, row.name_masked, row.id_number_masked, str(result), row.reason, str(created)]
        )
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    name = upload.order.order_no if upload.order else f"list-{upload.pk}"
    response["Content-Disposition"] = f'attachment; filename="{name}-report.xlsx"'
    return response


@login_required
@require_POST
def pay(request: HttpRequest, upload_id: int) -> HttpResponse:
    """Start the one payment of the list's order (only its purchaser; once started, show the order)."""
    upload = _upload_for(request, upload_id)
    order: Order | None = upload.order
    if order is None or order.payer_id != request.user.pk:
        return _error(request, _("This list has no order to pay."), 409)
    if order.state not in states.PAYABLE or order.pay_action:
        return redirect("xueshi_payments:order", order_no=order.order_no)
    return paying.start(request, order)
