"""Admin of ``xueshi_identity``: operators extend personnel categories; profiles and divisions are read-only.

Profiles are corrected through the staff pages (which validate and audit), not by editing rows:
the admin never shows a full ID number or phone.
"""

from __future__ import annotations

from django.contrib import admin

from xueshi_core.readonly_admin import ReadOnlyAdmin

from .models import AdminDivision, IdentityProfile, PersonnelCategory


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
    """Masked profiles (full values only on the audited staff page)."""

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
