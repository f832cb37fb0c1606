"""Admin: destinations are configuration (profile, address, kinds, region, category mapping)."""

from django.contrib import admin

from .models import ApiClient, Destination


@admin.register(Destination)
class DestinationAdmin(admin.ModelAdmin):
    """Destinations; the lease columns are the workers' business."""

    list_display = ("code", "name", "profile", "signature", "region_prefix", "active")
    exclude = ("lease_until", "lease_owner")


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    """Authorities that pull: their OAuth2 application, regions, kinds and grant."""

    list_display = ("name", "client_id", "full_personal_data", "per_minute", "active")
