"""Durable records of ``xueshi_access``: signed-in devices and the sign-in audit log.

Redis holds the hot copy of "which device is current" (checked on every request); these tables
are the truth it is rebuilt from and what auditors read for years.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .labels import CHANNEL_CHOICES, END_REASON_CHOICES, KIND_CHOICES, REASON_CHOICES


class SignInDevice(models.Model):
    """One signed-in device of an account: a browser session or an app's token grant.

    At most one row per user has ``ended_at`` empty; a new sign-in ends the others
    (``takeover``) or is refused (``refuse``).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=16, choices=CHANNEL_CHOICES)
    kind = models.CharField(max_length=16, choices=KIND_CHOICES)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=512, blank=True, default="")
    session_key = models.CharField(max_length=64, blank=True, default="")
    signed_in_at = models.DateTimeField(db_index=True)
    last_seen_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=32, blank=True, default="", choices=END_REASON_CHOICES)
    ended_by = models.UUIDField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "ended_at"], name="xac_device_user_live")]
        verbose_name = _("signed-in device")
        verbose_name_plural = _("signed-in devices")

    def __str__(self) -> str:
        return f"{self.user_id}:{self.kind}:{self.id}"


class AccessEvent(models.Model):
    """One line of the sign-in audit: who, what, when (server time), from where, on what, why.

    ``username`` is kept as typed for failed attempts (the account may not exist); ``user`` is set
    when it does. Rows are append-only and purged only after ``XUESHI_ACCESS_AUDIT_RETENTION_DAYS``.
    """

    SIGN_IN, SIGN_OUT, ENDED, FAILED, REFUSED, THROTTLED = (
        "sign_in",
        "sign_out",
        "session_ended",
        "sign_in_failed",
        "sign_in_refused",
        "throttled",
    )
    EVENT_CHOICES = [
        (SIGN_IN, _("Signed in")),
        (SIGN_OUT, _("Signed out")),
        (ENDED, _("Session ended")),
        (FAILED, _("Failed sign-in")),
        (REFUSED, _("Sign-in refused")),
        (THROTTLED, _("Blocked by throttling")),
    ]

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(db_index=True)
    event = models.CharField(max_length=24, choices=EVENT_CHOICES)
    reason = models.CharField(max_length=32, blank=True, default="", choices=REASON_CHOICES)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(max_length=150, blank=True, default="")
    ip = models.GenericIPAddressField(null=True, blank=True)
    region = models.CharField(max_length=64, blank=True, default="")
    region_code = models.CharField(max_length=2, blank=True, default="")
    user_agent = models.CharField(max_length=512, blank=True, default="")
    kind = models.CharField(max_length=16, blank=True, default="", choices=KIND_CHOICES)
    channel = models.CharField(max_length=16, blank=True, default="", choices=CHANNEL_CHOICES)
    device = models.UUIDField(null=True, blank=True)
    service = models.CharField(max_length=8, default="lms")

    class Meta:
        indexes = [
            models.Index(fields=["user", "at"], name="xac_event_user_at"),
            models.Index(fields=["ip", "at"], name="xac_event_ip_at"),
            models.Index(fields=["event", "at"], name="xac_event_kind_at"),
            models.Index(fields=["username", "at"], name="xac_event_name_at"),
        ]
        verbose_name = _("sign-in audit entry")
        verbose_name_plural = _("sign-in audit entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.event} {self.username}"
