"""Read-mostly admin of the video library (the library page is where authors work)."""

from __future__ import annotations

from django.contrib import admin

from .models import Asset, Upload


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin):
    """Videos and their jobs."""

    list_display = ("title", "course_key", "state", "progress", "duration", "height", "created")
    list_filter = ("state",)
    search_fields = ("title", "course_key")
    readonly_fields = ("steps_done", "renditions", "captions", "error", "attempts", "source_name")


@admin.register(Upload)
class UploadAdmin(admin.ModelAdmin):
    """Uploads in progress or refused."""

    list_display = ("filename", "course_key", "state", "received", "size", "created")
    list_filter = ("state",)
