"""Read-only admin of the personal-data audit trail: searchable by auditors, never edited."""

from __future__ import annotations

from django.contrib import admin

from .models import AccountScope, PersonalDataView
from .readonly_admin import ReadOnlyAdmin


@admin.register(PersonalDataView)
class PersonalDataViewAdmin(ReadOnlyAdmin):
    """Who saw whose ID number, phone or face image, when, from where and why."""

    list_display = ("viewed_at", "actor_username", "subject_user_id", "field", "purpose", "ip", "path")
    list_filter = ("field",)
    search_fields = ("=actor_username", "=subject_user_id", "=ip")
    date_hierarchy = "viewed_at"


@admin.register(AccountScope)
class AccountScopeAdmin(admin.ModelAdmin):
    """Bind a supervisor or employer contact to regions and employers (operators edit, others read)."""

    list_display = ("user", "region_codes", "employers", "note", "updated_at")
    search_fields = ("user__username", "region_codes", "employers")
    raw_id_fields = ("user",)
