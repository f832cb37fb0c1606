"""Records of daily reconciliation: one run per (channel, Shanghai day) and the mismatches it found.

A run is replaced, never duplicated, when the same day is reconciled again (the unique key makes
that a database rule, not a habit); an operator's resolution note survives a re-run for a mismatch
that is still there, so finance staff never redo work a retry of the beat task would otherwise undo.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class ReconRun(models.Model):
    """The outcome of reconciling one channel's bill of one day against our orders and refunds."""

    OK, FAILED = "ok", "failed"
    channel = models.CharField(_("payment method"), max_length=32)
    day = models.DateField(_("bill day"))
    status = models.CharField(
        _("status"), max_length=8, choices=[(OK, _("Reconciled")), (FAILED, _("Bill not obtained"))]
    )
    error = models.CharField(_("error"), max_length=255, blank=True)
    bill_lines = models.PositiveIntegerField(_("bill lines"), default=0)
    matched = models.PositiveIntegerField(_("matched"), default=0)
    mismatch_count = models.PositiveIntegerField(_("mismatches"), default=0)
    bill_total_fen = models.BigIntegerField(_("bill net (fen)"), default=0)
    attempts = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(_("finished at"))

    class Meta:
        verbose_name = _("reconciliation run")
        verbose_name_plural = _("reconciliation runs")
        ordering = ("-day", "channel")
        constraints = [models.UniqueConstraint(fields=("channel", "day"), name="xueshi_pay_recon_once")]

    def __str__(self) -> str:
        return f"{self.channel} {self.day} {self.status}"


class ReconMismatch(models.Model):
    """One line of the bill or one of our records that does not agree with the other side."""

    NOT_OURS = "not_ours"  # in the bill, we have no such order or refund
    MISSING = "missing"  # ours (paid or refunded that day), not in the bill
    AMOUNT = "amount"  # both have it, the amounts differ
    STATE = "state"  # both have it, our state says the money did not move
    KINDS = {
        NOT_OURS: _("In the bill, not ours"),
        MISSING: _("Ours, not in the bill"),
        AMOUNT: _("Amount differs"),
        STATE: _("State differs"),
    }
    run = models.ForeignKey(ReconRun, on_delete=models.CASCADE, related_name="mismatches")
    kind = models.CharField(_("kind"), max_length=16, choices=list(KINDS.items()))
    #: "payment" or "refund": which kind of line it is.
    line_kind = models.CharField(max_length=8)
    order_no = models.CharField(_("order number"), max_length=64, blank=True, db_index=True)
    refund_no = models.CharField(_("refund number"), max_length=64, blank=True)
    provider_trade_no = models.CharField(_("provider trade number"), max_length=64, blank=True)
    bill_fen = models.BigIntegerField(_("bill amount (fen)"), null=True, blank=True)
    our_fen = models.BigIntegerField(_("our amount (fen)"), null=True, blank=True)
    our_state = models.CharField(_("our state"), max_length=24, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.CharField(_("resolution note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("reconciliation mismatch")
        verbose_name_plural = _("reconciliation mismatches")
        ordering = ("run", "kind", "order_no", "refund_no")

    def __str__(self) -> str:
        return f"{self.kind} {self.order_no} {self.refund_no}"

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What identifies the same mismatch across re-runs of a day."""
        return (self.kind, self.line_kind, self.order_no, self.refund_no)

    @property
    def kind_label(self) -> str:
        """The kind as operators read it."""
        return str(self.KINDS.get(self.kind, self.kind))
