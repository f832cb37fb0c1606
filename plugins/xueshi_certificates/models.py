"""Certificate records: what was certified (a frozen snapshot), its serial, signature and status.

A certificate is issued once: a unique constraint on (holder, kind, period, course) refuses a
second row whatever races happen, and ``issuing`` takes a row lock on the serial counter first so
racing requests wait instead of failing (ADR 0120). Everything printed or signed is read from
``snapshot``, never recomputed from hours that may change later, so a PDF or credential can be
rebuilt byte for byte and a later rule version leaves the certificate as issued (ADR 0121).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

YEAR, COURSE = "year", "course"
KINDS = ((YEAR, _("Yearly study-hour certificate")), (COURSE, _("Course certificate")))
ISSUED, REVOKED = "issued", "revoked"
STATUSES = ((ISSUED, _("Valid")), (REVOKED, _("Revoked")))


class SerialCounter(models.Model):
    """The last number used under one serial prefix (or ``status:<list>`` for status-list slots).

    Rows are locked (``SELECT … FOR UPDATE``) while a certificate is issued, so numbers are dense,
    never reused, and issuing under one prefix is serialised.
    """

    name = models.CharField(max_length=32, unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("certificate serial counter")
        verbose_name_plural = _("certificate serial counters")

    def __str__(self) -> str:
        return f"{self.name}={self.last}"


class Certificate(models.Model):
    """One issued certificate and the credential signed for it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=8, choices=KINDS, default=YEAR)
    period_label = models.CharField(_("period"), max_length=32)
    period_year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    #: Empty for yearly certificates; the course key for per-course ones.
    course_key = models.CharField(max_length=255, blank=True, default="")
    serial = models.CharField(_("serial"), max_length=24, unique=True)
    check_code = models.CharField(_("check code"), max_length=12)
    #: Slot in the revocation status list (``statuslist``): unique per list.
    status_list = models.PositiveSmallIntegerField(default=1)
    status_index = models.PositiveIntegerField()
    status = models.CharField(_("status"), max_length=8, choices=STATUSES, default=ISSUED, db_index=True)
    #: What the certificate certifies, frozen at issue (see ``snapshot.Snapshot``).
    snapshot = models.JSONField()
    rule_id = models.CharField(max_length=64)
    rule_version = models.PositiveIntegerField()
    #: The VC-JWT signed at issue, and the key that signed it.
    credential = models.TextField()
    signing_kid = models.CharField(max_length=64)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoke_reason = models.CharField(_("reason for revoking"), max_length=200, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "period_label", "course_key"], name="xueshi_cert_once_per_period"
            ),
            models.UniqueConstraint(fields=["status_list", "status_index"], name="xueshi_cert_status_slot"),
        ]
        ordering = ["-issued_at", "-id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.serial

    @property
    def is_revoked(self) -> bool:
        """Whether the certificate was withdrawn (it still verifies as genuine, but revoked)."""
        return self.status == REVOKED

    def snapshot_value(self, key: str, default: Any = None) -> Any:
        """One field of the frozen snapshot."""
        return (self.snapshot or {}).get(key, default)


class IssueBatch(models.Model):
    """A batch run issuing every learner's yearly certificate: counts the operator's page polls."""

    PENDING, RUNNING, DONE, FAILED = "pending", "running", "done", "failed"
    STATES = ((PENDING, _("Waiting")), (RUNNING, _("Running")), (DONE, _("Done")), (FAILED, _("Failed")))

    period_year = models.PositiveSmallIntegerField(_("year"))
    region_prefix = models.CharField(max_length=6, blank=True, default="")
    state = models.CharField(max_length=8, choices=STATES, default=PENDING)
    total = models.PositiveIntegerField(default=0)
    issued = models.PositiveIntegerField(default=0)
    existing = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("certificate batch")
        verbose_name_plural = _("certificate batches")

    def __str__(self) -> str:
        return f"{self.period_year}: {self.state}"

    @property
    def processed(self) -> int:
        """Learners handled so far (issued now, already holding one, or failed)."""
        return self.issued + self.existing + self.failed
