"""Admin of ``xueshi_core``: account scopes, and read-only evidence (full views, retirements, faults).

Who may open them is ``permissions`` (ADR 0010), not Django's model permissions: the Django admin
site itself still needs ``is_staff``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    AccountScope,
    ConsentRecord,
    FaultCount,
    PersonalDataExport,
    PersonalDataView,
    RefusedAccess,
    RetiredAccount,
)
from .permissions import MANAGE_SCOPES, VIEW_AUDIT, may
from .readonly_admin import ReadOnlyAdmin


@admin.register(PersonalDataView)
class PersonalDataViewAdmin(ReadOnlyAdmin):
    """Who saw whose ID number, phone or face image, when, from where and why (``VIEW_AUDIT``)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        """Auditors and operators, not Django's flags alone."""
        return self.has_view_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """``VIEW_AUDIT`` holders."""
        return may(request.user, VIEW_AUDIT)

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

    def has_module_permission(self, request: HttpRequest) -> bool:
        """Operators (``MANAGE_SCOPES``) and auditors (``VIEW_AUDIT``), not Django's flags alone."""
        return self.has_view_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Auditors read the bindings; operators manage them."""
        return may(request.user, MANAGE_SCOPES) or may(request.user, VIEW_AUDIT)

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Operators only."""
        return may(request.user, MANAGE_SCOPES)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Operators only."""
        return may(request.user, MANAGE_SCOPES)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Operators only."""
        return may(request.user, MANAGE_SCOPES)


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


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdmin):
    """Who consented to which notice version, when, from where, and any withdrawal (ADR 0085)."""

    list_display = ("given_at", "user_id", "kind", "version", "withdrawn_at")
    list_filter = ("kind", "version")
    search_fields = ("=user_id",)
    date_hierarchy = "given_at"


@admin.register(RefusedAccess)
class RefusedAccessAdmin(PersonalDataViewAdmin):
    """Who tried to read outside their scope, what, when and from where (``VIEW_AUDIT``)."""

    list_display = ("refused_at", "actor_username", "action", "target", "reason", "ip", "path")
    list_filter = ("action",)
    search_fields = ("=actor_username", "=ip")
    date_hierarchy = "refused_at"


@admin.register(PersonalDataExport)
class PersonalDataExportAdmin(PersonalDataViewAdmin):
    """Who received which file of learners' data, its scope, rows and masking (``VIEW_AUDIT``, ADR 0159)."""

    list_display = ("exported_at", "actor_username", "what", "scope", "rows", "masked", "ip")
    list_filter = ("masked",)
    search_fields = ("=actor_username", "=ip")
    date_hierarchy = "exported_at"
