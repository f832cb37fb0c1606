"""Records of money: products, frozen orders and their lines, transitions, provider events, refunds.

Every amount is integer fen (``PositiveBigIntegerField``); nothing here is ever a float. Orders
and lines are frozen when created (amount, lines, payer, expiry): a price change later never
changes what a payer was asked for. Provider events are stored once per (provider, event id), so
a duplicated notice is recognised by the database, not by timing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import states

USER = settings.AUTH_USER_MODEL


class Product(models.Model):
    """What can be bought: one course run (priced from its paid course mode) or a bundle of ours."""

    COURSE, BUNDLE = "course", "bundle"
    code = models.CharField(_("code"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=[(COURSE, _("Course")), (BUNDLE, _("Bundle"))])
    title = models.CharField(_("title"), max_length=200)
    #: Course runs the product enrols in (one for a course product).
    course_keys = models.JSONField(_("course runs"), default=list)
    #: Bundles carry their own price; course products copy the paid mode's price when ordered.
    price_fen = models.PositiveBigIntegerField(_("price (fen)"), default=0)
    active = models.BooleanField(_("on sale"), default=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Order(models.Model):
    """One payment: frozen before the payer pays; its state moves only through ``states.TRANSITIONS``."""

    order_no = models.CharField(_("order number"), max_length=32, unique=True)
    payer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="xueshi_orders")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, null=True, blank=True)
    title = models.CharField(_("title"), max_length=127)
    amount_fen = models.PositiveBigIntegerField(_("amount (fen)"))
    currency = models.CharField(max_length=3, default="CNY")
    channel = models.CharField(_("payment method"), max_length=32)
    scene = models.CharField(max_length=16, blank=True)
    state = models.CharField(
        _("state"), max_length=24, choices=list(states.LABELS.items()), default=states.PENDING, db_index=True
    )
    expires_at = models.DateTimeField(_("expires at"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    provider_trade_no = models.CharField(_("provider trade number"), max_length=64, blank=True)
    refunded_fen = models.PositiveBigIntegerField(_("refunded (fen)"), default=0)
    #: Why the order needs an operator (also set for an extra payment on a paid order).
    attention_reason = models.CharField(_("needs attention because"), max_length=255, blank=True)
    #: What the pay action was (QR text, redirect URL), to show the payer again on reload.
    pay_action = models.JSONField(default=dict, blank=True)
    #: The provider's key of this order's transaction besides the number (UnionPay's ``txnTime``),
    #: set once when the channel first starts the payment and passed back to it (ADR 0165).
    provider_sent_at = models.CharField(max_length=32, blank=True, default="")
    last_queried_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # "order" alone is Django's own msgid (排序, for sorting): a payment order says so.
        verbose_name = _("payment order")
        verbose_name_plural = _("payment orders")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.order_no

    @property
    def state_label(self) -> str:
        """The state as payers and operators read it."""
        return str(states.LABELS.get(self.state, self.state))


class OrderLine(models.Model):
    """One learner in one course run, enrolled exactly once after payment (``enrolled_at``)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    learner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="xueshi_order_lines")
    course_key = models.CharField(_("course run"), max_length=255, db_index=True)
    mode = models.CharField(_("enrolment mode"), max_length=100)
    price_fen = models.PositiveBigIntegerField(_("price (fen)"))
    enrolled_at = models.DateTimeField(_("enrolled at"), null=True, blank=True)
    enrol_error = models.CharField(max_length=255, blank=True)
    unenrolled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        unique_together = (("order", "learner", "course_key"),)

    def __str__(self) -> str:
        return f"{self.order_id} {self.learner_id} {self.course_key}"


class OrderTransition(models.Model):
    """One move of an order's state: who or what moved it, why, and the provider's raw message."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=24)
    to_state = models.CharField(max_length=24)
    reason = models.CharField(_("reason"), max_length=255)
    raw = models.TextField(_("raw provider message"), blank=True)
    actor = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("order transition")
        verbose_name_plural = _("order transitions")
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.order_id} {self.from_state}->{self.to_state}"


class ProviderEvent(models.Model):
    """A verified provider fact, stored once: the unique key makes a duplicate notice a no-op."""

    provider = models.CharField(max_length=32)
    event_id = models.CharField(max_length=128)
    kind = models.CharField(max_length=32)
    order = models.ForeignKey(Order, on_delete=models.SET_NULL, null=True, blank=True, related_name="events")
    order_no = models.CharField(max_length=64, db_index=True)
    amount_fen = models.BigIntegerField()
    merchant_id = models.CharField(max_length=64, blank=True)
    app_id = models.CharField(max_length=64, blank=True)
    provider_trade_no = models.CharField(max_length=64, blank=True)
    refund_no = models.CharField(max_length=64, blank=True)
    raw = models.TextField(blank=True)
    #: What processing did: ``paid``, ``closed``, ``mismatch``, ``already_paid``, ``extra_payment`` ...
    outcome = models.CharField(max_length=32, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("provider event")
        verbose_name_plural = _("provider events")
        constraints = [models.UniqueConstraint(fields=("provider", "event_id"), name="xueshi_pay_event_once")]

    def __str__(self) -> str:
        return f"{self.provider}:{self.event_id} {self.kind}"


class Refund(models.Model):
    """Money going back; sent again with the same ``refund_no`` until the provider says it is final."""

    REQUESTED, PROCESSING, SUCCEEDED, FAILED = "requested", "processing", "succeeded", "failed"
    STATES = (REQUESTED, PROCESSING, SUCCEEDED, FAILED)
    refund_no = models.CharField(_("refund number"), max_length=64, unique=True)
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds")
    amount_fen = models.PositiveBigIntegerField(_("amount (fen)"))
    state = models.CharField(
        max_length=16, choices=[(s, s) for s in STATES], default=REQUESTED, db_index=True
    )
    reason = models.CharField(_("reason"), max_length=80)
    requested_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=255, blank=True)
    raw = models.TextField(blank=True)
    #: The provider's key of this refund besides its number (UnionPay's ``txnTime``), set once by
    #: the first send and passed back on retries and queries (ADR 0167; was only in Redis).
    provider_sent_at = models.CharField(max_length=32, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")

    def __str__(self) -> str:
        return f"{self.refund_no} {self.amount_fen} {self.state}"


class TransferReceipt(models.Model):
    """A bank-transfer receipt the payer uploaded (image or PDF, size and type checked)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="receipts")
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    content = models.BinaryField()
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("transfer receipt")
        verbose_name_plural = _("transfer receipts")
        ordering = ("uploaded_at", "id")

    def __str__(self) -> str:
        return f"{self.order_id} {self.content_type} {self.size}"


# Models kept in their own modules (small files); imported here so Django registers them.
from .employer_models import EmployerUpload, EmployerUploadRow  # noqa: E402,F401
from .reconciliation_models import ReconMismatch, ReconRun  # noqa: E402,F401
from .refund_request_models import RefundRequest  # noqa: E402,F401
