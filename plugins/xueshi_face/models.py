"""Stored records of face checks.

Images and templates are encrypted through ``xueshi_core.fields`` (never by hand), so key rotation
finds them like every other encrypted column; a check keeps its image digest for good, the image
itself only for the retention period.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from opaque_keys.edx.django.models import CourseKeyField, UsageKeyField

from xueshi_core.fields import EncryptedBinaryField

from .labels import (
    CHECK_CONTEXT_CHOICES,
    CHECK_DECISION_CHOICES,
    ENROLMENT_SOURCE_CHOICES,
    ENROLMENT_STATUS_CHOICES,
    EVENT_ACTION_CHOICES,
    LIVENESS_CHOICES,
)

IMAGE_PURPOSE, TEMPLATE_PURPOSE, FRAME_PURPOSE = "face_image", "face_template", "face_check_frame"
OFFICIAL_PURPOSE = "face_official_photo"


class FaceEnrolment(models.Model):
    """A learner's registered photo: one per learner; replacing it needs a staff reset.

    A learner can upload anyone's photo, so a new photo is ``pending`` and satisfies no check until
    staff approve it or it matches the official photo an operator imported (ADR 0546).
    """

    PENDING, APPROVED, MATCHED, REJECTED = "pending", "approved", "matched", "rejected"
    TRUSTED = (APPROVED, MATCHED)

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    image = EncryptedBinaryField(purpose=IMAGE_PURPOSE, help_text="encrypted photo")
    template = EncryptedBinaryField(
        purpose=TEMPLATE_PURPOSE, null=True, help_text="encrypted face descriptor of the local engine"
    )
    image_digest = models.CharField(max_length=64, help_text="SHA-256 of the photo as received")
    source = models.CharField(max_length=16, default="upload", choices=ENROLMENT_SOURCE_CHOICES)
    enrolled_at = models.DateTimeField()
    status = models.CharField(max_length=8, default=PENDING, db_index=True, choices=ENROLMENT_STATUS_CHOICES)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reason = models.CharField(max_length=255, blank=True, default="")
    match_score = models.FloatField(null=True, blank=True, help_text="score against the official photo")

    class Meta:
        verbose_name = _("face enrolment")
        verbose_name_plural = _("face enrolments")

    def __str__(self) -> str:
        return f"face enrolment of user {self.user_id}"

    @property
    def trusted(self) -> bool:
        """Approved by staff or matched with the official photo: checks may compare against it."""
        return self.status in self.TRUSTED


class FaceEnrolmentEvent(models.Model):
    """Who enrolled or reset a learner's photo, when and why (kept after the photo is gone)."""

    ENROLLED, RESET, APPROVED, REJECTED = "enrolled", "reset", "approved", "rejected"
    MATCHED, UNMATCHED, OFFICIAL_IMPORTED = "matched", "unmatched", "official"
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=16, choices=EVENT_ACTION_CHOICES)
    image_digest = models.CharField(max_length=64, blank=True, default="")
    reason = models.CharField(max_length=255, blank=True, default="")
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "at"])]
        verbose_name = _("face enrolment event")
        verbose_name_plural = _("face enrolment events")

    def __str__(self) -> str:
        return f"{self.action} user {self.user_id} at {self.at:%Y-%m-%d %H:%M}"


class OfficialPhoto(models.Model):
    """The learner's photo from an official source (ID card register, employer), imported by an operator.

    A learner's own photo that matches it is trusted without a staff review.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    image = EncryptedBinaryField(purpose=OFFICIAL_PURPOSE, help_text="encrypted official photo")
    image_digest = models.CharField(max_length=64)
    source = models.CharField(max_length=64, blank=True, default="")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField()

    class Meta:
        verbose_name = _("official face photo")
        verbose_name_plural = _("official face photos")

    def __str__(self) -> str:
        return f"official photo of user {self.user_id}"


class FaceCheck(models.Model):
    """One face check: the evidence an auditor reads (who, when, engine, score, threshold, decision)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    checked_at = models.DateTimeField(db_index=True, help_text="server time")
    context = models.CharField(max_length=16, choices=CHECK_CONTEXT_CHOICES)
    course_key = CourseKeyField(max_length=255, blank=True, default=None, null=True)
    usage_key = UsageKeyField(max_length=255, blank=True, default=None, null=True)
    engine = models.CharField(max_length=32)
    score = models.FloatField(null=True)
    threshold = models.FloatField()
    decision = models.CharField(max_length=8, choices=CHECK_DECISION_CHOICES)
    reason = models.CharField(max_length=64, blank=True, default="")
    liveness = models.CharField(max_length=12, choices=LIVENESS_CHOICES)
    liveness_measure = models.FloatField(null=True)
    frames = models.PositiveSmallIntegerField(default=1)
    image_digest = models.CharField(max_length=64, help_text="SHA-256 of the first frame as received")
    enrolment_digest = models.CharField(max_length=64, blank=True, default="")
    image = EncryptedBinaryField(
        purpose=FRAME_PURPOSE, null=True, help_text="encrypted first frame; NULL after retention"
    )
    image_purged_at = models.DateTimeField(null=True)
    hold_released = models.BooleanField(default=False)
    ip = models.GenericIPAddressField(null=True)
    user_agent = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["user", "checked_at"]), models.Index(fields=["image_purged_at"])]
        verbose_name = _("face check")
        verbose_name_plural = _("face checks")

    def __str__(self) -> str:
        return f"{self.decision} face check of user {self.user_id} at {self.checked_at:%Y-%m-%d %H:%M}"


class LivenessChallenge(models.Model):
    """A server-chosen sequence of head poses a check must show, once, before it expires (ADR 0548).

    The nonce binds the frames of one check to this sequence: recorded frames of an earlier check
    show another sequence, and a nonce cannot be used twice.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    nonce = models.CharField(max_length=64, unique=True)
    actions = models.CharField(max_length=64, help_text="comma-separated poses, in order")
    issued_at = models.DateTimeField(help_text="server time")
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["issued_at"])]
        verbose_name = _("liveness challenge")
        verbose_name_plural = _("liveness challenges")

    def __str__(self) -> str:
        return f"liveness challenge {self.actions} for user {self.user_id}"


class CourseFaceSettings(models.Model):
    """Per-course rate of random checks during study (operators edit it in the admin)."""

    course_key = CourseKeyField(max_length=255, unique=True)
    mean_minutes_between_checks = models.FloatField(
        help_text=_("On average one random face check every this many minutes of study (0 = none).")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("course face-check rate")
        verbose_name_plural = _("course face-check rates")

    def __str__(self) -> str:
        return f"{self.course_key}: every {self.mean_minutes_between_checks} min"
