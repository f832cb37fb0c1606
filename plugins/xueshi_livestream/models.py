"""A live lesson's stream: its schedule, when it was on air (from callbacks), and its recording."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from opaque_keys.edx.django.models import CourseKeyField, UsageKeyField


class LiveStream(models.Model):
    """The stream of one live block; the stream name is unique across the site (the provider's key)."""

    stream = models.CharField(max_length=64, unique=True)
    usage_key = UsageKeyField(max_length=255, unique=True)
    course_key = CourseKeyField(max_length=255, db_index=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    recording_asset = models.CharField(
        max_length=32, blank=True, default="", help_text=_("The library video of the recording.")
    )
    recording_url = models.CharField(
        max_length=1000, blank=True, default="", help_text=_("Where the provider said the recording is.")
    )
    recording_error = models.CharField(max_length=255, blank=True, default="")
    # The last time the provider was asked whether the stream is live while no interval was open
    # (a start callback may have been lost, ADR 0358): each stream is asked at most once a check.
    asked_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("live stream")
        verbose_name_plural = _("live streams")

    def __str__(self) -> str:
        return self.stream


class OnAir(models.Model):
    """One stretch the stream was on air, opened by a push-start callback and closed by push-stop.

    A lost push-stop is made up by ``reconcile``: the provider's stream state closes the stretch at
    the stop its push history reports, else at ``checked_at``, the last moment it confirmed the
    stream live; a lost push-start likewise opens it (``sequence`` ``RECOVERED``).
    """

    stream = models.ForeignKey(LiveStream, on_delete=models.CASCADE, related_name="on_air")
    sequence = models.CharField(max_length=64, blank=True, default="")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    # The last time the provider's stream-state API said the stream was live (ADR 0356).
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("on-air interval")
        verbose_name_plural = _("on-air intervals")
        ordering = ("started_at",)

    def __str__(self) -> str:
        return f"{self.stream_id}: {self.started_at} – {self.ended_at or '…'}"
