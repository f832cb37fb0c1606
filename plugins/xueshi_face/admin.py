"""Admin: course rates are edited here; enrolments and checks are read-only evidence (no images)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from .models import CourseFaceSettings, FaceCheck, FaceEnrolment, FaceEnrolmentEvent, OfficialPhoto


class ReadOnly(admin.ModelAdmin):
    """Evidence is never edited by hand."""

    def has_add_permission(self, request: Any) -> bool:
        """Rows come from checks and enrolments only."""
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        """Evidence stays as recorded."""
        return False


@admin.register(CourseFaceSettings)
class CourseFaceSettingsAdmin(admin.ModelAdmin):
    """Operators set each course's rate of random checks."""

    list_display = ("course_key", "mean_minutes_between_checks", "updated_at")
    search_fields = ("course_key",)


@admin.register(FaceCheck)
class FaceCheckAdmin(ReadOnly):
    """Every check, searchable; the frame itself is only shown through the audited staff API."""

    list_display = (
        "user",
        "checked_at",
        "context",
        "course_key",
        "engine",
        "score",
        "threshold",
        "decision",
        "liveness",
    )
    list_filter = ("decision", "context", "engine", "liveness")
    search_fields = ("user__username", "image_digest")
    exclude = ("image",)
    date_hierarchy = "checked_at"


@admin.register(FaceEnrolment)
class FaceEnrolmentAdmin(ReadOnly):
    """Who is enrolled and when; the photo is only shown through the audited staff API."""

    list_display = ("user", "enrolled_at", "source", "status", "reviewed_by", "image_digest")
    list_filter = ("status",)
    search_fields = ("user__username",)
    exclude = ("image", "template")


@admin.register(OfficialPhoto)
class OfficialPhotoAdmin(ReadOnly):
    """Who has an official photo, from where; imported with ``xueshi_face_import_official_photos``."""

    list_display = ("user", "imported_at", "imported_by", "source", "image_digest")
    search_fields = ("user__username",)
    exclude = ("image",)


@admin.register(FaceEnrolmentEvent)
class FaceEnrolmentEventAdmin(ReadOnly):
    """Enrolments and resets, with who and why."""

    list_display = ("user", "action", "actor", "at", "reason")
    search_fields = ("user__username",)
