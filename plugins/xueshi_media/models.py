"""A course's video library: uploads in progress and the assets they became.

An ``Upload`` is a resumable upload (the client asks how much arrived and sends the rest); when
complete and checked it becomes an ``Asset``, which the transcoder turns into an HLS ladder. The
steps already done are stored on the asset, so a retried or resumed job skips them (ADR 0261).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from opaque_keys.edx.django.models import CourseKeyField

from xueshi_core.fields import EncryptedBinaryField


class Upload(models.Model):
    """One resumable upload: the file grows in storage until ``received == size``."""

    OPEN, DONE, FAILED = "open", "done", "failed"
    STATES = ((OPEN, _("uploading")), (DONE, _("uploaded")), (FAILED, _("refused")))

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    course_key = CourseKeyField(max_length=255, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(max_length=255)
    size = models.BigIntegerField()
    received = models.BigIntegerField(default=0)
    state = models.CharField(max_length=8, choices=STATES, default=OPEN)
    error = models.CharField(max_length=255, blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("video upload")
        verbose_name_plural = _("video uploads")

    def __str__(self) -> str:
        return f"{self.filename} ({self.received}/{self.size})"


class Asset(models.Model):
    """A video of a course's library and its transcoding job."""

    QUEUED, RUNNING, READY, FAILED = "queued", "running", "ready", "failed"
    STATES = ((QUEUED, _("queued")), (RUNNING, _("transcoding")), (READY, _("ready")), (FAILED, _("failed")))

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    course_key = CourseKeyField(max_length=255, db_index=True)
    title = models.CharField(max_length=255)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    source_name = models.CharField(max_length=255, help_text=_("The uploaded file in storage."))
    source_size = models.BigIntegerField(default=0)
    duration = models.FloatField(default=0.0, help_text=_("Seconds, measured by ffprobe."))
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=8, choices=STATES, default=QUEUED, db_index=True)
    progress = models.PositiveSmallIntegerField(default=0, help_text=_("Percent of the job done."))
    steps_done = models.JSONField(default=list, blank=True)
    renditions = models.JSONField(default=list, blank=True)
    captions = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True, default="")
    attempts = models.PositiveSmallIntegerField(default=0)
    hls_key = EncryptedBinaryField(purpose="hls_key", null=True, blank=True, editable=False)
    runner = models.CharField(max_length=64, blank=True, default="", help_text=_("The task running the job."))
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("video")
        verbose_name_plural = _("videos")
        ordering = ("-created",)

    def __str__(self) -> str:
        return f"{self.title} ({self.id})"

    @property
    def folder(self) -> str:
        """Storage folder of the transcoded files (``<prefix>/<asset id>``)."""
        from . import conf

        return f"{conf.storage_prefix()}/{self.id.hex}"
