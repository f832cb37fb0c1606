"""An employer's (单位) order upload and its per-row report, kept for download and for operators.

One upload is one list of learners for one product; its accepted rows became one order's lines
(``order``, empty when no row was accepted). Rows keep only masked ID numbers and masked names:
the report is personal data shown to the purchaser and to finance staff, never the full number.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class EmployerUpload(models.Model):
    """A purchaser's list of learners for one product (typed ID numbers or an xlsx workbook)."""

    purchaser = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey("xueshi_payments.Product", on_delete=models.PROTECT, related_name="+")
    order = models.OneToOneField(
        "xueshi_payments.Order",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employer_upload",
    )
    source = models.CharField(max_length=8)  # "text" or "xlsx"
    accepted = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("employer order upload")
        verbose_name_plural = _("employer order uploads")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.pk} {self.accepted}/{self.accepted + self.refused}"


class EmployerUploadRow(models.Model):
    """One row of an upload: accepted (``reason`` empty, ``learner`` set) or refused with the reason."""

    upload = models.ForeignKey(EmployerUpload, on_delete=models.CASCADE, related_name="rows")
    row = models.PositiveIntegerField()
    name_masked = models.CharField(max_length=64, blank=True)
    id_number_masked = models.CharField(max_length=32, blank=True)
    learner = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_account = models.BooleanField(default=False)
    #: When the order closed unpaid and the account made for this row, unused, was deactivated.
    deactivated_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("employer order row")
        verbose_name_plural = _("employer order rows")
        ordering = ("row", "id")

    def __str__(self) -> str:
        return f"{self.upload_id}:{self.row} {self.reason or 'ok'}"
