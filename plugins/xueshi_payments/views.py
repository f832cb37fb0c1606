"""Learners' pages: checkout with a method choice, the order page that follows the payment, my orders.

Every page is zh_CN first and fits a 375 px phone. The order page polls ``state.json``; while an
online order is unpaid, that call asks the provider (at most every ``paying.QUERY_SECONDS``), and
the page itself verifies a provider's signed return and asks at once (``paying.follow_return``), so
a payer coming back from the provider sees "paid, enrolled" even before the notice arrives.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xueshi_core import permissions

from . import compat, conf, orders, paying, products, scenes, states
from .channels import registry
from .models import Order, Product, TransferReceipt
from .pipeline import paid_line
from .presenting import order_view

#: Room for the multipart envelope and the CSRF field around a receipt.
FORM_OVERHEAD_BYTES = 16 * 1024


def _visible_order(request: HttpRequest, order_no: str) -> Order:
    """The order if the account paid it or may view orders; 404 otherwise (as if absent)."""
    order = Order.objects.filter(order_no=order_no[:32]).select_related("payer").first()
    if order is None:
        raise Http404(_("There is no such order."))
    if order.payer_id != request.user.pk and not permissions.may(request.user, permissions.VIEW_ORDERS):
        raise Http404(_("There is no such order."))
    return order


def _error(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "xueshi_payments/error.html", {"message": message}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def checkout(request: HttpRequest, course_key: str) -> HttpResponse:
    """One course run: its price and the payment methods (POST ``channel`` freezes an order)."""
    title = compat.course_title(course_key)
    if title is None:
        return _error(request, _("There is no such course."), 404)
    offer = products.offer_for(products.course_product(course_key, title))
    if offer is None:
        return _error(request, _("This course is free: enrol on its course page."), 400)
    return _checkout(request, offer)


@login_required
@require_http_methods(["GET", "POST"])
def checkout_bundle(request: HttpRequest, code: str) -> HttpResponse:
    """A bundle of ours (several runs, one price), e.g. a year's continuing education."""
    product = Product.objects.filter(code=code[:64], kind=Product.BUNDLE, active=True).first()
    offer = products.offer_for(product) if product is not None else None
    if offer is None:
        return _error(request, _("There is no such product on sale."), 404)
    return _checkout(request, offer)


def _checkout(request: HttpRequest, offer: products.Offer) -> HttpResponse:
    """GET: the offer and the methods; POST ``channel``: find the open order or freeze a new one."""
    if all(paid_line(request.user, key) for key, _mode, _price in offer.runs):
        return _error(request, _("You have already paid for this course."), 409)
    channels = [registry.info(name) for name in registry.names()]
    if request.method == "GET":
        context = {"offer": offer, "price": products.yuan(offer.amount_fen), "channels": channels}
        return render(request, "xueshi_payments/checkout.html", context)
    name = request.POST.get("channel", "")
    if name not in registry.names():
        return _error(request, _("Choose one of the payment methods offered."), 400)
    waiting = Order.objects.filter(
        payer=request.user,
        channel=name,
        product=offer.product,
        state__in=states.PAYABLE,
        expires_at__gt=timezone.now(),
    ).first()
    if waiting is not None:  # one open order per product and method: never two payments for one need
        if not waiting.pay_action and name != "transfer":
            return paying.start(request, waiting)  # never started (e.g. left during WeChat's authorisation)
        return redirect("xueshi_payments:order", order_no=waiting.order_no)
    lifetime = conf.transfer_order_lifetime() if name == "transfer" else conf.online_order_lifetime()
    scene = scenes.scene_for(name, request.headers.get("User-Agent", ""))
    order = orders.create_order(request.user, offer, [request.user], name, scene, lifetime)
    return paying.start(request, order)


@login_required
@require_GET
def order_page(request: HttpRequest, order_no: str) -> HttpResponse:
    """The order and what to do next; the state updates itself."""
    order = _visible_order(request, order_no)
    paying.follow_return(request, order)
    return render(request, "xueshi_payments/order.html", order_view(order, request))


@login_required
@require_GET
def order_status(request: HttpRequest, order_no: str) -> JsonResponse:
    """The order's state for the polling page (asks the provider while an online order is unpaid)."""
    order = _visible_order(request, order_no)
    paying.query_if_due(order)
    body = {
        "order_no": order.order_no,
        "state": order.state,
        "label": order.state_label,
        "done": order.state in (states.FULFILLED, states.CLOSED, states.REFUNDED),
    }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


@login_required
@require_GET
def my_orders(request: HttpRequest) -> HttpResponse:
    """The account's orders, newest first, with their receipts and refunds."""
    rows = Order.objects.filter(payer=request.user).prefetch_related("lines", "refunds", "receipts")[:100]
    return render(
        request, "xueshi_payments/my_orders.html", {"orders": [order_view(o, request) for o in rows]}
    )


@login_required
@require_POST
def upload_receipt(request: HttpRequest, order_no: str) -> HttpResponse:
    """The payer's bank-transfer receipt (PNG, JPEG or PDF, size-limited): the order goes under review."""
    from . import transfers

    declared = request.META.get("CONTENT_LENGTH") or "0"
    if not declared.isdigit() or int(declared) > conf.max_receipt_bytes() + FORM_OVERHEAD_BYTES:
        # Refused before the body is read: a huge upload never reaches the disk or the database.
        limit = conf.max_receipt_bytes() // (1024 * 1024)
        return _error(request, _("The receipt is larger than %(mb)s MB.") % {"mb": limit}, 413)
    try:
        content, content_type = transfers.read_upload(request.FILES.get("receipt"))
        transfers.upload_receipt(order_no[:32], request.user, content, content_type)
    except transfers.ReceiptRefused as exc:
        return _error(request, exc.reason, exc.status)
    return redirect("xueshi_payments:order", order_no=order_no)


@login_required
@require_GET
def receipt_file(request: HttpRequest, order_no: str, receipt_id: int) -> HttpResponse:
    """A stored receipt, for its payer and for those who may view orders."""
    order = _visible_order(request, order_no)
    receipt = TransferReceipt.objects.filter(order=order, pk=receipt_id).first()
    if receipt is None:
        raise Http404(_("There is no such receipt."))
    response = HttpResponse(bytes(receipt.content), content_type=receipt.content_type)
    response["Content-Disposition"] = f'inline; filename="{order.order_no}-{receipt.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
