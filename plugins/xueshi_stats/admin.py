"""Read-only admin for statistics exports: the record of who exported what, when, and how often."""

from __future__ import annotations

from django.contrib import admin

from xueshi_core.readonly_admin import ReadOnlyAdmin

from .models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    """Search by account; the kept query holds no full ID number (ADR 0154)."""

    list_display = ("created_at", "owner_username", "source", "file_format", "state", "written", "total")
    list_display += ("downloads",)
    list_filter = ("state", "source", "file_format")
    search_fields = ("owner_username",)
    exclude = ("token",)
