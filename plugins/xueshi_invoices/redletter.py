"""Red-letter (红冲): a refund of an invoiced order becomes a red confirmation form and a red invoice.

``sync_red_forms(request_id)`` is idempotent (``RedForm.refund_no`` is unique): it is called when a
refund succeeds (``REFUND_SUCCEEDED``), after a blue invoice is issued (for refunds that came
first) and by the beat sweep. Each refund reds the lines of its own order, in blue-line order,
after what earlier red forms already took (ADR 0175). Refunds finished before the request was made
were already left off the blue invoice, so they are not reddened.

``step(red_id)``: ``requested`` → ``saveInvoiceRedConfirm`` (the buyer has not booked a personal
or training invoice, so the seller's form is confirmed at once) → ``confirmed`` →
``fastInvoiceRed`` with the form's serial (``E9106`` = already sent) → ``submitted`` → query →
the red invoice recorded once.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from xueshi_payments import api as payments_api

from . import amounts, issuing, signing_links
from .models import Invoice, InvoiceRequest, RedForm, RequestOrder
from .providers import client as provider_client
from .providers.common import Client, ProviderError
from .providers.nuonuo import RETRYABLE_CODES

SAVE = "nuonuo.OpeMplatform.saveInvoiceRedConfirm"
FAST_RED = "nuonuo.OpeMplatform.fastInvoiceRed"
REASON_RETURNED = "2"  # 销货退回 (Nuonuo: 1 开票有误, 2 销货退回, 3 服务中止, 4 销售折让)


def _blue_lines(request: InvoiceRequest, order_no: str) -> list[amounts.Line]:
    return [
        amounts.Line(r.name, r.quantity, r.gross_fen, r.net_fen, r.tax_fen, r.rate_bp)
        for r in request.lines.filter(order_no=order_no).order_by("position")
    ]


def red_lines_for(blue: list[amounts.Line], already_fen: int, amount_fen: int) -> list[amounts.Line]:
    """The lines of a red form taking ``amount_fen`` after ``already_fen`` was reddened, in line order."""
    upto = amounts.red_lines(blue, already_fen + amount_fen)
    before = amounts.red_lines(blue, already_fen) if already_fen else []
    result = []
    for index, line in enumerate(upto):
        prev = before[index] if index < len(before) else None
        gross = line.gross_fen - (prev.gross_fen if prev else 0)
        if gross == 0:
            continue
        net = line.net_fen - (prev.net_fen if prev else 0)
        qty = line.quantity if prev is None else -1
        result.append(amounts.Line(line.name, qty, gross, net, gross - net, line.rate_bp))
    return result


def sync_red_forms(request_id: int) -> list[str]:
    """Create the red forms still missing for the request's refunds; return their serials."""
    request = InvoiceRequest.objects.get(pk=request_id)
    blue = Invoice.objects.filter(request=request, kind="blue").first()
    if blue is None:
        return []
    made = []
    for order_no in RequestOrder.objects.filter(request=request).values_list("order_no", flat=True):
        summary = payments_api.order_for_invoice(order_no)
        lines = _blue_lines(request, order_no)
        total = sum(line.gross_fen for line in lines)
        for refund in summary.refunds if summary else ():
            if refund.finished_at and refund.finished_at < request.created_at:
                continue
            if RedForm.objects.filter(refund_no=refund.refund_no).exists():
                continue
            taken = (
                RedForm.objects.filter(blue=blue, order_no=order_no).aggregate(t=Sum("amount_fen"))["t"] or 0
            )
            amount = min(refund.amount_fen, total - taken)
            if amount <= 0:
                continue
            red = red_lines_for(lines, taken, amount)
            try:
                with transaction.atomic():
                    form = RedForm.objects.create(
                        serial="XR" + timezone.now().strftime("%y%m%d%H%M%S") + secrets.token_hex(3).upper(),
                        refund_no=refund.refund_no,
                        blue=blue,
                        order_no=order_no,
                        amount_fen=amount,
                        lines=[line.__dict__ for line in red],
                        next_try_at=timezone.now(),
                    )
                    from .tasks import enqueue_red

                    transaction.on_commit(lambda pk=form.pk: enqueue_red(pk))
                made.append(form.serial)
            except IntegrityError:
                continue  # another worker made it
    return made


def _rows(form: RedForm) -> list[dict[str, Any]]:
    return issuing.detail_rows(amounts.Line(**line) for line in form.lines)


def step(red_id: int, client: Client | None = None) -> str:
    """Do the red form's next step; return its state afterwards."""
    form = RedForm.objects.select_related("blue__request").get(pk=red_id)
    if form.state not in (RedForm.REQUESTED, RedForm.CONFIRMED, RedForm.SUBMITTED):
        return form.state
    try:
        client = client or provider_client()
        if form.state == RedForm.REQUESTED:
            content = {
                "billNo": form.serial,
                "blueElecInvoiceNumber": form.blue.number,
                "redReason": REASON_RETURNED,
                "billDetail": _rows(form),
            }
            answer = client.call(SAVE, content)
            _check(answer)
            issuing._note(None, SAVE, "confirmed", answer.code, red=form)
            _move(form, RedForm.CONFIRMED, provider_form_id=str((answer.result or {}).get("billId", "")))
        if form.state == RedForm.CONFIRMED:
            content = {
                "orderNo": form.serial,
                "billId": form.provider_form_id,
                "callBackUrl": signing_links.callback_url("red", form.serial),
                "invoiceDetail": _rows(form),
            }
            answer = client.call(FAST_RED, content)
            if answer.code != "E9106":
                _check(answer)
            issuing._note(None, FAST_RED, "accepted", answer.code, red=form)
            _move(form, RedForm.SUBMITTED)
        result = issuing.query_one(client, form.serial)
        status = str((result or {}).get("status", ""))
        if result is None or status in issuing.ISSUING:
            return _move(form, form.state, wait=True)
        if status in issuing.FAILED_AT_BUREAU:
            form.last_error = f"bureau:{status}"
            return _move(form, RedForm.FAILED)
        issuing.record(form.blue.request, result, client, kind="red", red=form)
        return _move(form, RedForm.ISSUED)
    except Exception as exc:  # counted like a provider error (ADR 0280)
        error = issuing.as_provider_error(exc, f"red {red_id}")
        issuing._note(None, "red_step", "error", error.code, error.message, red=form)
        with transaction.atomic():
            row = RedForm.objects.select_for_update().get(pk=red_id)
            return issuing._later(row, error, [])


def _check(answer: Any) -> None:
    if answer.code != "E0000":
        raise ProviderError(answer.code, answer.describe, retryable=answer.code in RETRYABLE_CODES)


def _move(form: RedForm, state: str, *, wait: bool = False, **fields: Any) -> str:
    form.state = state
    for name, value in fields.items():
        setattr(form, name, value)
    form.next_try_at = (
        timezone.now() + timedelta(seconds=issuing.POLL_SECONDS)
        if wait
        or state
        not in (
            RedForm.ISSUED,
            RedForm.FAILED,
        )
        else None
    )
    form.save(update_fields=["state", "next_try_at", "last_error", *fields])
    return state


def retry(red_id: int) -> str:
    """An operator's retry of a failed red form (from where it stopped)."""
    with transaction.atomic():
        form = RedForm.objects.select_for_update().get(pk=red_id)
        if form.state != RedForm.FAILED:
            return form.state
        form.state = RedForm.CONFIRMED if form.provider_form_id else RedForm.REQUESTED
        form.attempts, form.next_try_at = 0, timezone.now()
        form.save(update_fields=["state", "attempts", "next_try_at"])
    return form.state
