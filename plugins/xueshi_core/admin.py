"""Read-only admin of evidence: full views of personal data, retired accounts, fault counts."""

from __future__ import annotations

from django.contrib import admin

from .models import FaultCount, PersonalDataView, RetiredAccount
from .readonly_admin import ReadOnlyAdmin


@admin.register(PersonalDataView)
class PersonalDataViewAdmin(ReadOnlyAdmin):
    """Who saw whose ID number, phone or face image, when, from where and why."""

    list_display = ("viewed_at", "actor_username", "subject_user_id", "field", "purpose", "ip", "path")
    list_filter = ("field",)
    search_fields = ("=actor_username", "=subject_user_id", "=ip")
    date_hierarchy = "viewed_at"


@admin.register(RetiredAccount)
class RetiredAccountAdmin(ReadOnlyAdmin):
    """Which accounts were retired and when: the evidence their personal data was erased (ADR 0060)."""

    list_display = ("retired_at", "user_id", "pseudonym")
    search_fields = ("=user_id", "=pseudonym")
    date_hierarchy = "retired_at"


@admin.register(FaultCount)
class FaultCountAdmin(ReadOnlyAdmin):
    """How often each handled fault happened per day (ADR 0062)."""

    list_display = ("day", "name", "count", "last_at")
    list_filter = ("name",)
    date_hierarchy = "day"
