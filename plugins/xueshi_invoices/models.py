"""Records of e-invoices: sellers, requests, provider attempts, invoices, files, red forms.

Why the shape (ADR 0172): a request carries a stable ``serial`` that is sent to the provider as
its order number, so a retry after a timeout or a dead worker asks about the same invoice instead
of issuing a second one; ``RequestOrder.order_no`` is unique, so an order is on at most one
request; an ``Invoice`` number is unique, and a red invoice points at its blue one and at the
refund that caused it (``RedForm.refund_no`` unique), so a refund is never reddened twice.
Amounts are integer fen; lines are frozen when the request is made.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xueshi_core.fields import EncryptedTextField

from . import amounts

ADDRESS_PHONE_PURPOSE = "invoice_buyer_address_phone"
BANK_PURPOSE = "invoice_buyer_bank"
EMAIL_PURPOSE = "invoice_buyer_email"
USER = settings.AUTH_USER_MODEL
PERSON, EMPLOYER = "person", "employer"
BLUE, RED = "blue", "red"
FILE_KINDS = ("ofd", "pdf", "xml")


class SellerProfile(models.Model):
    """Who sells: tax number, VAT rate (ask a tax adviser), drawer; one is the default."""

    name = models.CharField(_("seller name"), max_length=100)
    tax_number = models.CharField(_("tax number"), max_length=20)
    rate_bp = models.PositiveIntegerField(
        _("VAT rate"), choices=[(600, "6%"), (300, "3%"), (100, "1%"), (0, "0%")], default=300
    )
    drawer = models.CharField(_("drawer (开票人)"), max_length=20)
    address_phone = models.CharField(_("address and phone"), max_length=200, blank=True)
    bank_account = models.CharField(_("bank and account"), max_length=200, blank=True)
    is_default = models.BooleanField(_("default seller"), default=False)
    auto_issue_personal = models.BooleanField(_("issue personal invoices automatically"), default=True)

    class Meta:
        verbose_name = _("seller profile")
        verbose_name_plural = _("seller profiles")

    def __str__(self) -> str:
        return f"{self.name} {self.tax_number}"


class InvoiceRequest(models.Model):
    """A buyer's request for one blue invoice covering one or more of the payer's orders."""

    PENDING, QUEUED, SUBMITTED, ISSUED, FAILED = "pending", "queued", "submitted", "issued", "failed"
    STATES = {
        PENDING: _("Awaiting review"),
        QUEUED: _("Queued"),
        SUBMITTED: _("Being issued"),
        ISSUED: _("Issued"),
        FAILED: _("Failed"),
    }
    serial = models.CharField(_("serial"), max_length=32, unique=True)
    requester = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="xueshi_invoice_requests")
    seller = models.ForeignKey(SellerProfile, on_delete=models.PROTECT)
    title_kind = models.CharField(
        _("title"), max_length=10, choices=[(PERSON, _("Person")), (EMPLOYER, _("Employer"))]
    )
    buyer_name = models.CharField(_("buyer name"), max_length=100)
    buyer_tax_id = models.CharField(_("buyer tax number"), max_length=20, blank=True)
    #: The buyer's contact details are personal data (house rule, ADR 0176): encrypted at rest,
    #: NULL when not given, masked on every page and export, shown in full only by an audited reveal.
    buyer_address_phone = EncryptedTextField(
        _("address and phone"), purpose=ADDRESS_PHONE_PURPOSE, null=True, blank=True
    )
    buyer_bank = EncryptedTextField(_("bank and account"), purpose=BANK_PURPOSE, null=True, blank=True)
    email = EncryptedTextField(_("email"), purpose=EMAIL_PURPOSE, null=True, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=list(STATES.items()), db_index=True)
    gross_fen = models.PositiveBigIntegerField(_("amount incl. tax (fen)"))
    net_fen = models.PositiveBigIntegerField(_("amount excl. tax (fen)"))
    tax_fen = models.PositiveBigIntegerField(_("tax (fen)"))
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(_("last error"), max_length=255, blank=True)
    provider_serial = models.CharField(max_length=64, blank=True)
    #: When the issuing job should look at it again (the beat sweep picks up anything overdue).
    next_try_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    issued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invoice request")
        verbose_name_plural = _("invoice requests")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.serial} {self.state}"

    @property
    def state_label(self) -> str:
        """The state as learners and operators read it."""
        return str(self.STATES.get(self.state, self.state))

    @property
    def gross_yuan(self) -> str:
        """The amount including tax in yuan, for pages."""
        return amounts.yuan(int(self.gross_fen))


class RequestOrder(models.Model):
    """An order on a request: unique, so an order is invoiced at most once."""

    request = models.ForeignKey(InvoiceRequest, on_delete=models.CASCADE, related_name="orders")
    order_no = models.CharField(max_length=32, unique=True)

    class Meta:
        verbose_name = _("invoiced order")
        verbose_name_plural = _("invoiced orders")

    def __str__(self) -> str:
        return self.order_no


class RequestLine(models.Model):
    """A frozen invoice line (``*非学历教育服务*<course>``), in the order printed."""

    request = models.ForeignKey(InvoiceRequest, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    order_no = models.CharField(max_length=32)
    name = models.CharField(max_length=200)
    quantity = models.PositiveIntegerField()
    gross_fen = models.PositiveBigIntegerField()
    net_fen = models.PositiveBigIntegerField()
    tax_fen = models.PositiveBigIntegerField()
    rate_bp = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ("position",)
        unique_together = (("request", "position"),)

    def __str__(self) -> str:
        return self.name


class RedForm(models.Model):
    """A 红字确认单 for one refund of an invoiced order, and the red invoice issued from it."""

    REQUESTED, CONFIRMED, SUBMITTED = "requested", "confirmed", "submitted"
    ISSUED, FAILED = "issued", "failed"
    STATES = {
        REQUESTED: _("Red form requested"),
        CONFIRMED: _("Red form confirmed"),
        SUBMITTED: _("Red invoice being issued"),
        ISSUED: _("Red invoice issued"),
        FAILED: _("Failed"),
    }
    serial = models.CharField(max_length=32, unique=True)
    refund_no = models.CharField(max_length=64, unique=True)
    blue = models.ForeignKey("Invoice", on_delete=models.PROTECT, related_name="red_forms")
    order_no = models.CharField(max_length=32)
    amount_fen = models.PositiveBigIntegerField()
    #: Negative lines in blue-line order: [{name, quantity, gross_fen, net_fen, tax_fen, rate_bp}].
    lines = models.JSONField(default=list)
    state = models.CharField(max_length=12, choices=list(STATES.items()), default=REQUESTED, db_index=True)
    provider_form_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=255, blank=True)
    next_try_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("red confirmation form")
        verbose_name_plural = _("red confirmation forms")

    def __str__(self) -> str:
        return f"{self.serial} {self.state}"

    @property
    def state_label(self) -> str:
        """The state as learners and operators read it."""
        return str(self.STATES.get(self.state, self.state))


class Invoice(models.Model):
    """An issued invoice (blue, or red cancelling part or all of a blue one): the 20-digit number."""

    request = models.ForeignKey(InvoiceRequest, on_delete=models.PROTECT, related_name="invoices")
    kind = models.CharField(max_length=4, choices=[(BLUE, _("Blue")), (RED, _("Red"))])
    number = models.CharField(_("invoice number"), max_length=20, unique=True)
    #: The serial it was issued under (the request's, or the red form's): unique, so one serial
    #: can never yield two invoices, even if two workers record the same result (MariaDB has no
    #: partial unique indexes, so this stands in for "one blue invoice per request").
    serial = models.CharField(max_length=32, unique=True)
    red_form = models.OneToOneField(
        RedForm, on_delete=models.PROTECT, null=True, blank=True, related_name="red_invoice"
    )
    gross_fen = models.BigIntegerField()
    net_fen = models.BigIntegerField()
    tax_fen = models.BigIntegerField()
    issued_at = models.DateTimeField()
    raw = models.TextField(blank=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ("issued_at", "id")

    def __str__(self) -> str:
        return f"{self.kind} {self.number}"


def _file_path(instance: InvoiceFile, filename: str) -> str:
    return f"xueshi-invoices/{instance.invoice.number}/{filename}"


class InvoiceFile(models.Model):
    """One file of an invoice in Django storage; the OFD is the original (版式文件 of record)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=4, choices=[(k, k.upper()) for k in FILE_KINDS])
    content = models.FileField(upload_to=_file_path, max_length=200)
    sha256 = models.CharField(max_length=64)
    is_original = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("invoice file")
        verbose_name_plural = _("invoice files")
        unique_together = (("invoice", "kind"),)

    def __str__(self) -> str:
        return f"{self.invoice_id} {self.kind}"


class ProviderAttempt(models.Model):
    """One call to the provider about a request or red form: method, outcome, code, message."""

    request = models.ForeignKey(InvoiceRequest, on_delete=models.CASCADE, null=True, related_name="calls")
    red_form = models.ForeignKey(RedForm, on_delete=models.CASCADE, null=True, related_name="calls")
    method = models.CharField(max_length=80)
    outcome = models.CharField(max_length=16)
    code = models.CharField(max_length=16, blank=True)
    message = models.CharField(max_length=255, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("provider call")
        verbose_name_plural = _("provider calls")
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.method} {self.outcome} {self.code}"
