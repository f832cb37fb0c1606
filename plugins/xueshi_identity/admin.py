"""Admin of ``xueshi_identity``: operators extend personnel categories; profiles and divisions are read-only.

Profiles are corrected through the staff pages (which validate and audit), not by editing rows:
the admin never shows a full ID number or phone.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from xueshi_core.api import VIEW_LEARNERS, may, scope_of
from xueshi_core.readonly_admin import ReadOnlyAdmin

from . import idnumbers
from .models import AdminDivision, IdentityProfile, PersonnelCategory, RegisterCheck, RetainedIdentity


@admin.register(PersonnelCategory)
class PersonnelCategoryAdmin(admin.ModelAdmin):
    """Operators add categories; a used category is deactivated rather than deleted (PROTECT)."""

    list_display = ("code", "name", "name_en", "sort_order", "active")
    list_editable = ("sort_order", "active")
    search_fields = ("code", "name")


@admin.register(AdminDivision)
class AdminDivisionAdmin(ReadOnlyAdmin):
    """Division codes with their validity (loaded from dated datasets)."""

    list_display = ("code", "name", "level", "parent_code", "valid_from", "valid_to", "source")
    list_filter = ("level",)
    search_fields = ("=code", "name")


@admin.register(IdentityProfile)
class IdentityProfileAdmin(ReadOnlyAdmin):
    """Masked profiles (full values only on the audited staff page), of the viewer's scope only.

    Django's model permissions are not asked: ``VIEW_LEARNERS`` decides, so a superuser without a
    Xueshi role sees no learner here either (三员分立, ADR 0010).
    """

    def has_module_permission(self, request: HttpRequest) -> bool:
        """Shown in the admin index to ``VIEW_LEARNERS`` holders only."""
        return may(request.user, VIEW_LEARNERS)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """``VIEW_LEARNERS`` holders; the queryset is narrowed to their scope."""
        return may(request.user, VIEW_LEARNERS)

    def get_queryset(self, request: HttpRequest) -> Any:
        """The profiles of the viewer's scope."""
        return scope_of(request.user).filter_profiles(super().get_queryset(request))

    list_display = (
        "user",
        "real_name",
        "id_type",
        "id_number_masked",
        "phone_masked",
        "province_code",
        "completed_at",
    )
    list_filter = ("id_type", "source", "category")
    search_fields = ("=user__username",)
    fields = (
        "user",
        "real_name",
        "id_type",
        "id_number_masked",
        "phone_masked",
        "province_code",
        "city_code",
        "county_code",
        "employer",
        "category",
        "source",
        "completed_at",
        "created_at",
        "updated_at",
    )


@admin.register(RetainedIdentity)
class RetainedIdentityAdmin(ReadOnlyAdmin):
    """What retirement kept of a profile (ADR 0060); search by user id or by a full ID number.

    A full number typed here is hashed the way profiles hash it, for every ID type, so a
    regulator's lookup finds the retired learner without any number being stored or shown.
    """

    list_display = (
        "user_id",
        "id_type",
        "province_code",
        "city_code",
        "county_code",
        "category_code",
        "retired_at",
    )
    list_filter = ("id_type",)
    search_fields = ("=user_id",)
    exclude = ("id_number_hash",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        """Nationwide ``VIEW_LEARNERS`` holders only (operators, auditors not bound to a region)."""
        return self.has_view_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """A regional account would see other regions' retired learners here: nationwide only."""
        return may(request.user, VIEW_LEARNERS) and scope_of(request.user).everything

    def get_search_results(self, request: Any, queryset: Any, search_term: str) -> tuple[Any, bool]:
        """Also match the keyed hash of ``search_term`` read as an ID number of any type."""
        found, duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if term:
            hashes = [IdentityProfile.hash_id_number(id_type, term) for id_type in idnumbers.ID_TYPES]
            found = found | queryset.filter(id_number_hash__in=hashes)
        return found, duplicates


@admin.register(RegisterCheck)
class RegisterCheckAdmin(ReadOnlyAdmin):
    """Authorities' answers about learners (written by reporting's register checks, ADR 0331)."""

    list_display = ("user_id", "register", "status", "source", "attempts", "checked_at")
    list_filter = ("register", "status")
    search_fields = ("=user_id",)
