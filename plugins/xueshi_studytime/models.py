"""Durable records of the study-time ledger (MariaDB), kept for as long as regulators audit.

Only the flusher writes these from heartbeats (the web process writes Redis only); session rows
are written when a session opens. Every record says who, which course and block, when (server
time in UTC, day in Asia/Shanghai), how much and why. Amounts are integer milliseconds so sums
are exact. Users are ``PROTECT``ed: the platform retires users by scrubbing, and a ledger row must
never disappear with an account.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from opaque_keys.edx.django.models import CourseKeyField, UsageKeyField


class PlaybackSession(models.Model):
    """One opened player: the unit of a lease, a token and a heartbeat sequence."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    course_key = CourseKeyField(max_length=255, db_index=True)
    usage_key = UsageKeyField(max_length=255)
    client = models.CharField(max_length=16, default="web")
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=512, blank=True)
    opened_at = models.DateTimeField(db_index=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=32, blank=True)
    policy = models.JSONField(default=dict)
    replaced_session = models.UUIDField(null=True, blank=True)
    risk_signals = models.JSONField(
        default=dict, blank=True, help_text="Signal -> count: what made this session look scripted (risk.py)."
    )

    class Meta:
        indexes = [models.Index(fields=["user", "opened_at"], name="xst_session_user_opened")]
        verbose_name = _("playback session")
        verbose_name_plural = _("playback sessions")

    def __str__(self) -> str:
        return f"{self.id} user={self.user_id} {self.usage_key}"


class LedgerEntry(models.Model):
    """Append-only: seconds credited by one heartbeat.

    ``(session, seq)`` is unique, so a replayed flush inserts nothing twice.
    """

    session = models.ForeignKey(PlaybackSession, on_delete=models.PROTECT, related_name="+")
    seq = models.PositiveIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    course_key = CourseKeyField(max_length=255)
    usage_key = UsageKeyField(max_length=255)
    credited_ms = models.PositiveIntegerField()
    from_position = models.FloatField()
    to_position = models.FloatField()
    received_at = models.DateTimeField()
    china_day = models.DateField()
    reason = models.CharField(max_length=16, default="play")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "seq"], name="xst_ledger_session_seq")]
        indexes = [
            models.Index(fields=["course_key", "china_day"], name="xst_ledger_course_day"),
            models.Index(fields=["user", "china_day"], name="xst_ledger_user_day"),
        ]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")

    def __str__(self) -> str:
        return f"{self.session_id}#{self.seq} +{self.credited_ms}ms"


class DailyStudyTotal(models.Model):
    """Credited milliseconds per (learner, course, China day); incremented only by inserted ledger rows."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    course_key = CourseKeyField(max_length=255)
    day = models.DateField()
    credited_ms = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course_key", "day"], name="xst_daily_user_course_day")
        ]
        indexes = [
            models.Index(fields=["course_key", "day"], name="xst_daily_course_day"),
            models.Index(fields=["user", "day"], name="xst_daily_user_day"),
        ]
        verbose_name = _("daily study total")
        verbose_name_plural = _("daily study totals")

    def __str__(self) -> str:
        return f"{self.user_id} {self.course_key} {self.day} {self.seconds}s"

    @property
    def seconds(self) -> int:
        """Whole credited seconds."""
        return self.credited_ms // 1000


class VideoProgress(models.Model):
    """Merged watched intervals and last position of one learner in one video block."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    usage_key = UsageKeyField(max_length=255)
    course_key = CourseKeyField(max_length=255, db_index=True)
    intervals = models.JSONField(default=list)
    watched_seconds = models.FloatField(default=0)
    coverage = models.FloatField(default=0)
    duration = models.FloatField(default=0)
    last_position = models.FloatField(default=0)
    frontier = models.FloatField(default=0)
    last_heartbeat_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "usage_key"], name="xst_progress_user_usage")]
        verbose_name = _("video progress")
        verbose_name_plural = _("video progress")

    def __str__(self) -> str:
        return f"{self.user_id} {self.usage_key} {self.coverage:.0%}"


class RefusedHeartbeat(models.Model):
    """Every heartbeat that earned nothing because a rule refused it, with what the client claimed."""

    event_id = models.CharField(max_length=32, unique=True)
    session = models.ForeignKey(PlaybackSession, on_delete=models.PROTECT, related_name="+")
    seq = models.BigIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    course_key = CourseKeyField(max_length=255)
    usage_key = UsageKeyField(max_length=255)
    reason = models.CharField(max_length=32)
    event = models.CharField(max_length=16, blank=True)
    reported_position = models.FloatField()
    reported_rate = models.FloatField()
    reported_visible = models.BooleanField()
    reported_playing = models.BooleanField()
    position = models.FloatField(help_text="Position the server kept (the player is sent back here).")
    received_at = models.DateTimeField()
    china_day = models.DateField()

    class Meta:
        indexes = [
            models.Index(fields=["user", "received_at"], name="xst_refused_user_time"),
            models.Index(fields=["course_key", "china_day", "reason"], name="xst_refused_course_day"),
        ]
        verbose_name = _("refused heartbeat")
        verbose_name_plural = _("refused heartbeats")

    def __str__(self) -> str:
        return f"{self.session_id}#{self.seq} {self.reason}"


class IdleChallenge(models.Model):
    """A "still there?" challenge: issued after N credited minutes, answered or left unanswered."""

    ISSUED, ANSWERED, UNANSWERED = "issued", "answered", "unanswered"
    LATE, FAILED = "late", "failed"  # replaced by a new code: answered too late, or too many wrong codes
    STATUSES = [
        (ISSUED, _("issued")),
        (ANSWERED, _("answered")),
        (UNANSWERED, _("unanswered")),
        (LATE, _("answered too late")),
        (FAILED, _("wrong codes")),
    ]

    challenge_id = models.CharField(max_length=32, unique=True)
    session = models.ForeignKey(PlaybackSession, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    course_key = CourseKeyField(max_length=255)
    usage_key = UsageKeyField(max_length=255)
    issued_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=STATUSES, default=ISSUED)

    class Meta:
        indexes = [models.Index(fields=["user", "issued_at"], name="xst_challenge_user_time")]
        verbose_name = _("idle challenge")
        verbose_name_plural = _("idle challenges")

    def __str__(self) -> str:
        return f"{self.challenge_id} {self.status}"


class StudyHold(models.Model):
    """A stop on crediting for one learner (in every course, or one), placed by another app until released.

    Redis carries the live copy the heartbeat reads; this row is the evidence and the source the
    live copy is rebuilt from when a session opens (Redis may have lost it).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.SlugField(max_length=32)
    url = models.CharField(max_length=512, blank=True)
    reason = models.CharField(max_length=255, blank=True)
    placed_at = models.DateTimeField()
    not_before = models.DateTimeField(help_text="Crediting stops from this server time on.")
    #: Empty: study in every course is held; else only study in this course.
    course_key = models.CharField(max_length=255, blank=True, default="")
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.CharField(max_length=255, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "released_at"], name="xst_hold_user_released")]
        verbose_name = _("study hold")
        verbose_name_plural = _("study holds")

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {'released' if self.released_at else 'active'}"
