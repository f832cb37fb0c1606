"""Admin of live streams: the schedule, on-air intervals and the recording, for operators."""

from __future__ import annotations

from django.contrib import admin

from .models import LiveStream, OnAir


class OnAirInline(admin.TabularInline):
    """The stretches on air, as the callbacks (or the stream-state check) recorded them (read-only)."""

    model = OnAir
    extra = 0
    readonly_fields = ("sequence", "started_at", "ended_at", "checked_at")


@admin.register(LiveStream)
class LiveStreamAdmin(admin.ModelAdmin):
    """Streams with their schedule, recording and its fetch error."""

    list_display = ("stream", "course_key", "starts_at", "ends_at", "recording_asset", "recording_error")
    search_fields = ("stream",)
    readonly_fields = ("recording_url", "recording_error", "asked_at", "created", "modified")
    inlines = (OnAirInline,)
