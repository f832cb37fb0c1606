"""An admin base for evidence: rows auditors can search and read, never add, change or delete."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    """No add, change or delete: these rows are evidence."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Rows come from the application only."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Evidence is not edited."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Evidence is not deleted."""
        return False
