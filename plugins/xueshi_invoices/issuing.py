"""Issuing a blue invoice through the provider, one step at a time, never twice (ADR 0172, 0174).

``step(request_id)`` looks at the request under its row lock and does the next thing:

- ``queued``: send ``requestBillingNew`` with the request's serial as ``orderNo``. Accepted, or
  ``E9106`` (that serial was already submitted, e.g. by a worker that died after sending), both
  move it to ``submitted``; a retryable error schedules the next attempt; after the last delay,
  or an error no retry can fix, the request is ``failed`` with the reason shown to operators.
- ``submitted``: ``queryInvoiceResult`` by serial. Done (``2``): the files are downloaded and the
  invoice recorded once (``Invoice.serial`` is unique). Still issuing: look again later. Failed at
  the bureau (``22``/``24``): ``failed``; an operator's retry then gets a new serial, since the
  old one ended without an invoice.

Callbacks only wake this up (they are never trusted for content): the query is the truth.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from xueshi_core import facts

from . import amounts, conf, personal, signing_links
from .models import FILE_KINDS, Invoice, InvoiceFile, InvoiceRequest, ProviderAttempt
from .providers import client as provider_client
from .providers.common import Client, ProviderError

log = logging.getLogger(__name__)
ISSUE = "nuonuo.OpeMplatform.requestBillingNew"
QUERY = "nuonuo.OpeMplatform.queryInvoiceResult"
DONE, ISSUING, FAILED_AT_BUREAU = "2", frozenset({"20", "21"}), frozenset({"22", "24"})
POLL_SECONDS = 5


def _rate_text(rate_bp: int) -> str:
    return {600: "0.06", 300: "0.03", 100: "0.01", 0: "0"}[rate_bp]


def detail_rows(lines: Any) -> list[dict[str, Any]]:
    """Invoice lines in the provider's shape (amounts in yuan strings, tax-inclusive prices)."""
    return [
        {
            "goodsName": line.name,
            "goodsCode": "3070201020000000000",
            "num": str(line.quantity),
            "price": amounts.yuan(amounts._div_half_up(abs(line.gross_fen), abs(line.quantity))),
            "withTax": "1",
            "taxRate": _rate_text(line.rate_bp),
            "taxExcludedAmount": amounts.yuan(line.net_fen),
            "tax": amounts.yuan(line.tax_fen),
            "taxIncludedAmount": amounts.yuan(line.gross_fen),
            "unit": "人次",
        }
        for line in lines
    ]


def billing_content(request: InvoiceRequest) -> dict[str, Any]:
    """The ``requestBillingNew`` body for a request."""
    seller = request.seller
    order = {
        "orderNo": request.serial,
        "invoiceDate": timezone.localtime().strftime("%Y-%m-%d %H:%M:%S"),
        "buyerName": request.buyer_name,
        "buyerTaxNum": request.buyer_tax_id,
        "buyerAddress": personal.plain(request.buyer_address_phone),
        "buyerAccount": personal.plain(request.buyer_bank),
        "email": personal.plain(request.email),
        "salerName": seller.name,
        "salerTaxNum": seller.tax_number,
        "salerAddress": seller.address_phone,
        "salerAccount": seller.bank_account,
        "clerk": seller.drawer,
        "invoiceType": "1",
        "invoiceLine": "pc",  # 数电普票
        "pushMode": "-1",  # we send the email ourselves
        "callBackUrl": signing_links.callback_url("request", request.serial),
        "invoiceDetail": detail_rows(request.lines.all()),
    }
    return {"order": order}


def _note(
    request: InvoiceRequest | None, method: str, outcome: str, code: str = "", message: str = "", red=None
):
    ProviderAttempt.objects.create(
        request=request, red_form=red, method=method, outcome=outcome, code=code[:16], message=message[:255]
    )


def _later(row: Any, error: ProviderError | None, fields: list[str]) -> str:
    """Count a failed attempt: schedule the next one, or give up visibly."""
    delays = conf.retry_delays()
    row.attempts += 1
    row.last_error = f"{error.code}: {error.message}"[:255] if error else row.last_error
    if error is not None and (not error.retryable or row.attempts > len(delays)):
        # ``error`` is a provider's answer or, through ``as_provider_error``, a fault of ours.
        row.state, row.next_try_at = "failed", None
    else:
        row.next_try_at = timezone.now() + timedelta(seconds=delays[min(row.attempts, len(delays)) - 1])
    row.save(update_fields=[*fields, "attempts", "last_error", "state", "next_try_at"])
    return str(row.state)


def step(request_id: int, client: Client | None = None) -> str:
    """Do the request's next step; return its state afterwards."""
    request = InvoiceRequest.objects.select_related("seller").get(pk=request_id)
    if request.state not in (InvoiceRequest.QUEUED, InvoiceRequest.SUBMITTED):
        return request.state
    try:
        client = client or provider_client()
        if request.state == InvoiceRequest.QUEUED:
            answer = client.call(ISSUE, billing_content(request))
            if answer.code not in ("E0000", "E9106"):
                raise ProviderError(answer.code, answer.describe, retryable=answer.code in _retryable())
            _note(request, ISSUE, "accepted" if answer.code == "E0000" else "duplicate", answer.code)
            serial = (answer.result or {}).get("invoiceSerialNum", "") if answer.code == "E0000" else ""
            with transaction.atomic():
                row = InvoiceRequest.objects.select_for_update().get(pk=request_id)
                if row.state == InvoiceRequest.QUEUED:
                    row.state, row.provider_serial = InvoiceRequest.SUBMITTED, serial or row.provider_serial
                    row.next_try_at = timezone.now() + timedelta(seconds=POLL_SECONDS)
                    row.save(update_fields=["state", "provider_serial", "next_try_at"])
            request.refresh_from_db()
        return _poll(request, client)
    except Exception as exc:  # any fault counts an attempt (``as_provider_error``, ADR 0280)
        error = as_provider_error(exc, request_id)
        _note(request, "step", "error", error.code, error.message)
        with transaction.atomic():
            row = InvoiceRequest.objects.select_for_update().get(pk=request_id)
            if row.state not in (InvoiceRequest.QUEUED, InvoiceRequest.SUBMITTED):
                return row.state
            return _later(row, error, [])


def as_provider_error(exc: Exception, what: object) -> ProviderError:
    """Any fault of a step as a counted attempt (ADR 0280).

    Why: a fault on our side (a bug, storage, an answer we cannot read) used to escape the step, so
    the row stayed due and the sweep ran it every minute forever. Counted like a retryable provider
    error it follows the retry schedule and then ends ``failed`` with a reason an operator sees;
    the operator's retry keeps the serial, so an invoice the provider did issue is found by the
    query, never issued twice. The reason names only the exception's type: its text may carry
    request data, and the traceback is in the worker's log.
    """
    if isinstance(exc, ProviderError):
        return exc
    log.exception("invoice step %s failed on our side", what)
    return ProviderError("internal", f"{type(exc).__name__} (see the worker's log)", retryable=True)


def _retryable() -> frozenset[str]:
    from .providers.nuonuo import RETRYABLE_CODES

    return RETRYABLE_CODES


def query_one(client: Client, serial: str) -> dict[str, Any] | None:
    """The provider's result for our serial (its ``orderNo``), or None when it has none."""
    answer = client.call(QUERY, {"orderNos": [serial], "isOfferInvoiceDetail": "0"})
    if answer.code == "E9500":
        return None
    if answer.code != "E0000":
        raise ProviderError(answer.code, answer.describe, retryable=True)
    found = [r for r in answer.result or [] if r.get("orderNo") == serial]
    return found[0] if found else None


def _poll(request: InvoiceRequest, client: Client) -> str:
    result = query_one(client, request.serial)
    status = str((result or {}).get("status", ""))
    if result is None or status in ISSUING:
        with transaction.atomic():
            row = InvoiceRequest.objects.select_for_update().get(pk=request.pk)
            row.next_try_at = timezone.now() + timedelta(seconds=POLL_SECONDS)
            row.save(update_fields=["next_try_at"])
        return row.state
    if status in FAILED_AT_BUREAU:
        _note(request, QUERY, "failed", status, str(result.get("statusMsg", "")))
        with transaction.atomic():
            row = InvoiceRequest.objects.select_for_update().get(pk=request.pk)
            row.state, row.next_try_at = InvoiceRequest.FAILED, None
            row.last_error = f"bureau:{status}: {result.get('statusMsg', '')}"[:255]
            row.save(update_fields=["state", "next_try_at", "last_error"])
        return row.state
    if status != DONE:
        raise ProviderError(f"status_{status}", "unexpected invoice status", retryable=True)
    record(request, result, client, kind="blue")
    return InvoiceRequest.ISSUED


def record(
    request: InvoiceRequest, result: dict[str, Any], client: Client, *, kind: str, red=None
) -> Invoice:
    """Store an issued invoice and its files once (the serial is unique); return the stored row."""
    serial = red.serial if red is not None else request.serial
    existing = Invoice.objects.filter(serial=serial).first()
    if existing is not None:
        return existing
    blobs = {k: client.download(result[f"{k}Url"]) for k in FILE_KINDS if result.get(f"{k}Url")}
    sign = -1 if kind == "red" else 1
    gross = red.amount_fen if red is not None else request.gross_fen
    net = sum(int(x["net_fen"]) for x in red.lines) * -1 if red is not None else request.net_fen
    try:
        with transaction.atomic():
            invoice = Invoice.objects.create(
                request=request,
                kind=kind,
                number=str(result["allElectronicInvoiceNumber"]),
                serial=serial,
                red_form=red,
                gross_fen=sign * gross,
                net_fen=sign * net,
                tax_fen=sign * (gross - net),
                issued_at=timezone.now(),
                raw=str(result)[:4000],
            )
            for file_kind, data in blobs.items():
                stored = InvoiceFile(invoice=invoice, kind=file_kind, is_original=file_kind == "ofd")
                stored.sha256 = hashlib.sha256(data).hexdigest()
                stored.content.save(f"{invoice.number}.{file_kind}", ContentFile(data), save=False)
                stored.save()
            if red is None:
                InvoiceRequest.objects.filter(pk=request.pk).update(
                    state=InvoiceRequest.ISSUED, issued_at=timezone.now(), next_try_at=None
                )
                transaction.on_commit(lambda: _after_blue(request.pk))
    except IntegrityError:
        return Invoice.objects.get(serial=serial)  # another worker recorded it first
    return invoice


def _after_blue(request_id: int) -> None:
    """Email the buyer, tell subscribers, and start red forms for refunds that came before it."""
    from . import mailing, redletter
    from .signals import INVOICE_ISSUED, InvoiceIssued

    mailing.send_invoice_mail(request_id)
    invoice = Invoice.objects.filter(request_id=request_id, kind="blue").select_related("request").first()
    if invoice is not None:
        event = InvoiceIssued(invoice.number, invoice.request.serial, invoice.request.requester_id)
        facts.send_robustly(INVOICE_ISSUED, event)
    redletter.sync_red_forms(request_id)


def retry(request_id: int) -> str:
    """An operator's retry of a failed (or pending) request; a bureau failure gets a new serial."""
    from .requests_ import new_serial

    with transaction.atomic():
        row = InvoiceRequest.objects.select_for_update().get(pk=request_id)
        if row.state not in (InvoiceRequest.FAILED, InvoiceRequest.PENDING):
            return row.state
        if row.last_error.startswith("bureau:"):
            old = row.serial
            row.serial = new_serial()
            _note(row, "retry", "new_serial", "", f"{old} ended without an invoice")
        row.state, row.attempts, row.next_try_at = InvoiceRequest.QUEUED, 0, timezone.now()
        row.save(update_fields=["serial", "state", "attempts", "next_try_at"])
    return row.state
