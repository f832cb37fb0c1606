"""Making an invoice request from a buyer's form: checks, frozen lines, the stable serial (ADR 0172).

Every refusal is a ``RequestRefused`` with a machine code and a sentence for the form; nothing is
written then. An order can be on one request only (a unique row), so two tabs or two clicks
cannot ask twice.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xueshi_payments import api as payments_api

from . import amounts, conf, taxids
from .models import EMPLOYER, PERSON, InvoiceRequest, RequestLine, RequestOrder, SellerProfile

TAX_CODE = "3070201020000000000"  # 非学历教育服务
LINE_PREFIX = "*非学历教育服务*"
MAX_ORDERS = 20
#: Why a tax number was refused (``taxids`` codes), in the page's language.
TAX_ID_REASONS = {
    "length": gettext_lazy("A tax number has 15 to 20 characters (a unified social credit code has 18)."),
    "alphabet": gettext_lazy(
        "The code has a character that is not allowed (I, O, Z, S and V are never used)."
    ),
    "authority": gettext_lazy("The first character (registering authority) is not valid."),
    "region": gettext_lazy("Characters 3 to 8 (the region) must be digits."),
    "check": gettext_lazy("The check character does not match: please compare with the business licence."),
    "old_format": gettext_lazy(
        "A 15-character tax number is 6 region digits and a 9-character organisation code."
    ),
}


class RequestRefused(ValueError):
    """A request that cannot be made; ``status`` is the HTTP status a view answers with."""

    def __init__(self, code: str, reason: str, status: int = 400) -> None:
        super().__init__(reason)
        self.code, self.reason, self.status = code, reason, status


def new_serial() -> str:
    """20 characters (Nuonuo's orderNo limit): ``XI`` + Beijing-free UTC stamp + 6 random."""
    return "XI" + timezone.now().strftime("%y%m%d%H%M%S") + secrets.token_hex(3).upper()


def default_seller() -> SellerProfile:
    """The seller invoices are issued as; 503 when an operator has not set one up."""
    seller = SellerProfile.objects.filter(is_default=True).order_by("id").first()
    if seller is None and (basics := conf.tutor_seller()) is not None:
        seller, _created = SellerProfile.objects.get_or_create(
            tax_number=basics["tax_number"], defaults={**basics, "is_default": True}
        )
    if seller is None:
        raise RequestRefused("no_seller", _("Invoicing is not set up yet; please contact the platform."), 503)
    return seller


def order_lines(order: payments_api.OrderForInvoice, rate_bp: int) -> list[tuple[str, amounts.Line]]:
    """The lines of one order (one per course, learners as quantity), less what was refunded.

    Refunds made before invoicing come off the last lines first, so the invoice shows what the
    buyer finally paid.
    """
    grouped: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for item in order.lines:
        grouped.setdefault(item.course_key, []).append(item.price_fen)
        names[item.course_key] = item.course_name
    raw = [(key, len(prices), sum(prices)) for key, prices in grouped.items()]
    left = order.refunded_fen
    kept: list[tuple[str, int, int]] = []
    for key, quantity, gross in reversed(raw):
        cut = min(left, gross)
        left -= cut
        if gross - cut > 0:
            kept.append((key, quantity, gross - cut))
    kept.reverse()
    return [
        (order.order_no, amounts.line(f"{LINE_PREFIX}{names[key]}"[:100], qty, gross, rate_bp))
        for key, qty, gross in kept
    ]


def _clean(value: Any, limit: int) -> str:
    text = str(value or "").strip()
    if len(text) > limit:
        raise RequestRefused("too_long", _("Too long (at most %(limit)s characters).") % {"limit": limit})
    return text


def create_request(user: Any, order_nos: Sequence[str], form: dict[str, Any]) -> InvoiceRequest:
    """Check the form and the orders, then freeze a request (queued if it may issue at once)."""
    kind = form.get("title_kind")
    if kind not in (PERSON, EMPLOYER):
        raise RequestRefused("title_kind", _("Choose the title type: person or employer."))
    name = _clean(form.get("buyer_name"), 100)
    if not name:
        raise RequestRefused("buyer_name", _("Fill in the invoice title."))
    tax_id = taxids.compact(_clean(form.get("buyer_tax_id"), 30))
    if kind == EMPLOYER and not tax_id:
        raise RequestRefused("buyer_tax_id", _("An employer title needs its unified social credit code."))
    if tax_id and (problem := taxids.buyer_tax_id_problem(tax_id)):
        raise RequestRefused("buyer_tax_id", str(TAX_ID_REASONS.get(problem.code, problem.reason)))
    email = _clean(form.get("email"), 254)
    if email and ("@" not in email or " " in email):
        raise RequestRefused("email", _("The email address is not valid."))
    numbers = list(dict.fromkeys(str(n) for n in order_nos))
    if not numbers or len(numbers) > MAX_ORDERS:
        raise RequestRefused("orders", _("Choose 1 to %(max)s paid orders.") % {"max": MAX_ORDERS})
    seller = default_seller()
    lines: list[tuple[str, amounts.Line]] = []
    for number in numbers:
        order = payments_api.order_for_invoice(number)
        if order is None or order.payer_id != user.id:
            raise RequestRefused("order", _("There is no order %(number)s.") % {"number": number}, 404)
        if not order.money_received or order.refunded_fen >= order.amount_fen:
            raise RequestRefused(
                "order_state",
                _("Order %(number)s is not paid, or fully refunded: it cannot be invoiced.")
                % {"number": number},
                409,
            )
        lines.extend(order_lines(order, seller.rate_bp))
    gross, net, tax = amounts.totals([line for _, line in lines])
    auto = kind == PERSON and seller.auto_issue_personal
    try:
        with transaction.atomic():
            request = InvoiceRequest.objects.create(
                serial=new_serial(),
                requester=user,
                seller=seller,
                title_kind=kind,
                buyer_name=name,
                buyer_tax_id=tax_id,
                buyer_address_phone=_clean(form.get("buyer_address_phone"), 200) or None,
                buyer_bank=_clean(form.get("buyer_bank"), 200) or None,
                email=email or None,
                state=InvoiceRequest.QUEUED if auto else InvoiceRequest.PENDING,
                gross_fen=gross,
                net_fen=net,
                tax_fen=tax,
                next_try_at=timezone.now() if auto else None,
            )
            RequestOrder.objects.bulk_create(RequestOrder(request=request, order_no=n) for n in numbers)
            RequestLine.objects.bulk_create(
                RequestLine(
                    request=request,
                    position=i,
                    order_no=order_no,
                    name=line.name,
                    quantity=line.quantity,
                    gross_fen=line.gross_fen,
                    net_fen=line.net_fen,
                    tax_fen=line.tax_fen,
                    rate_bp=line.rate_bp,
                )
                for i, (order_no, line) in enumerate(lines, start=1)
            )
            if auto:
                from .tasks import enqueue_request

                transaction.on_commit(lambda: enqueue_request(request.pk))
    except IntegrityError as error:
        raise RequestRefused(
            "already_requested", _("An invoice was already requested for one of these orders."), 409
        ) from error
    return request
