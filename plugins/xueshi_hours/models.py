"""Records of the hours app: rule versions, pinned versions per account, course hours, external hours.

Rule versions are immutable: editing a rule set adds a version, and an account, once computed,
keeps the version it was first computed with (``AccountPin``), so a figure printed on a
certificate can always be recomputed (ADR 0110).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from opaque_keys.edx.django.models import CourseKeyField


class RuleVersion(models.Model):
    """One immutable version of a rule set (the ``body`` is the rule's file form)."""

    rule_id = models.SlugField(_("rule set"), max_length=40)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=128)
    region = models.CharField(_("region code"), max_length=6)
    category = models.CharField(_("personnel category"), max_length=40)
    body = models.JSONField()
    note = models.CharField(_("why this version"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rule_id", "version"], name="xhr_rule_version")]
        indexes = [models.Index(fields=["category", "rule_id"], name="xhr_rule_category")]
        verbose_name = _("hour rule version")
        verbose_name_plural = _("hour rule versions")

    def __str__(self) -> str:
        return f"{self.rule_id} v{self.version}"


class AccountPin(models.Model):
    """The rule version a learner's account for one period was first computed with."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rule_id = models.SlugField(max_length=40)
    period_start = models.DateField()
    version = models.PositiveIntegerField()
    pinned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "rule_id", "period_start"], name="xhr_pin_user_rule_period"
            )
        ]
        verbose_name = _("pinned rule version")
        verbose_name_plural = _("pinned rule versions")

    def __str__(self) -> str:
        return f"{self.user_id} {self.rule_id} {self.period_start} v{self.version}"


class CourseHoursSetting(models.Model):
    """A course's declared hours, category, where it counts and when it is completed."""

    CATEGORY_CHOICES = (
        ("", _("Uncategorised")),
        ("public", _("Public subjects (公需)")),
        ("professional", _("Professional subjects (专业)")),
    )

    course_key = CourseKeyField(max_length=255, unique=True)
    title = models.CharField(_("course title"), max_length=255, blank=True)
    declared_hours = models.DecimalField(_("declared hours"), max_digits=7, decimal_places=2, default=0)
    category = models.CharField(_("category"), max_length=16, choices=CATEGORY_CHOICES, blank=True)
    counts_for_categories = models.CharField(_("counts for personnel categories"), max_length=255, blank=True)
    counts_for_regions = models.CharField(_("counts for regions"), max_length=255, blank=True)
    min_video_share = models.DecimalField(
        _("minimum share of video"), max_digits=3, decimal_places=2, default=Decimal("0.90")
    )
    video_minutes = models.PositiveIntegerField(_("total video minutes"), default=0)
    exam_required = models.BooleanField(_("a passed exam is required"), default=False)
    exam_pass_percent = models.PositiveSmallIntegerField(_("exam pass mark (%)"), default=60)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("course hours")
        verbose_name_plural = _("course hours")

    def __str__(self) -> str:
        return f"{self.course_key} {self.declared_hours}"


class ExternalHours(models.Model):
    """Hours earned elsewhere (conferences, training) that a learner submits and an operator decides."""

    PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
    STATUS_CHOICES = ((PENDING, _("Pending")), (APPROVED, _("Approved")), (REJECTED, _("Rejected")))
    KIND_CHOICES = (
        ("conference", _("Conference or lecture")),
        ("training", _("Training elsewhere")),
        ("other", _("Other")),
    )

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("activity"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=KIND_CHOICES, default="training")
    category = models.CharField(
        _("category"), max_length=16, choices=CourseHoursSetting.CATEGORY_CHOICES, blank=True
    )
    hours = models.DecimalField(_("hours claimed"), max_digits=6, decimal_places=2)
    activity_day = models.DateField(_("date of the activity"))
    attachment = models.FileField(_("proof (PDF or image)"), upload_to="xueshi_hours/external/%Y/%m/")
    status = models.CharField(max_length=16, choices=STATUS_CHOICES, default=PENDING, db_index=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_day = models.DateField(null=True, blank=True)  # Asia/Shanghai day of the approval
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["user", "status", "decided_day"], name="xhr_external_user")]
        verbose_name = _("external hours")
        verbose_name_plural = _("external hours")

    def __str__(self) -> str:
        return f"{self.user_id} {self.title} {self.hours} {self.status}"
