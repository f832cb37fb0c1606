"""The email with an issued invoice's files (OFD, the original, and PDF to print)."""

from __future__ import annotations

import logging

from django.core.mail import EmailMessage

from . import personal
from .models import Invoice, InvoiceRequest

log = logging.getLogger(__name__)


def send_invoice_mail(request_id: int) -> bool:
    """Send the blue invoice of a request to the email the buyer gave; False if there is none."""
    request = InvoiceRequest.objects.get(pk=request_id)
    invoice = Invoice.objects.filter(request=request, kind="blue").first()
    if not request.email or invoice is None:
        return False
    message = EmailMessage(
        subject=f"您的电子发票 {invoice.number}",
        body=(
            f"{request.buyer_name}：\n\n您申请的电子发票已开具，发票号码 {invoice.number}。"
            "附件为OFD（原件）与PDF（便于打印）文件，也可在“我的发票”中下载。\n"
        ),
        to=[personal.plain(request.email)],
    )
    for stored in invoice.files.all():
        with stored.content.open("rb") as handle:
            message.attach(f"{invoice.number}.{stored.kind}", handle.read())
    try:
        message.send()
    except OSError as error:  # a mail outage never undoes an invoice; operators can resend
        log.warning("invoice mail for %s failed: %s", request.serial, error)
        return False
    return True
