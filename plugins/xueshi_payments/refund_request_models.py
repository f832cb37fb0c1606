"""A learner's request for the money of a paid order back, decided by an operator.

One request per order (a unique key, so a double click or a second tab never asks twice); an
approval goes through the existing refund flow (``refunds.request_refund`` + ``send_refund``), whose
refund number is kept here so the learner sees the refund's own state.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class RefundRequest(models.Model):
    """Asked by the payer with a reason; approved (a refund) or rejected (a reason) by an operator."""

    PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
    STATES = {PENDING: _("Waiting for review"), APPROVED: _("Approved"), REJECTED: _("Rejected")}
    order = models.OneToOneField(
        "xueshi_payments.Order", on_delete=models.PROTECT, related_name="refund_request"
    )
    learner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=200)
    state = models.CharField(
        _("state"), max_length=12, choices=list(STATES.items()), default=PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    decided_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.CharField(_("decision reason"), max_length=200, blank=True)
    refund = models.OneToOneField(
        "xueshi_payments.Refund", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("refund request")
        verbose_name_plural = _("refund requests")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.order_id} {self.state}"

    @property
    def state_label(self) -> str:
        """The state as learners and operators read it."""
        return str(self.STATES.get(self.state, self.state))
