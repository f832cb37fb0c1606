"""Admin: destinations are configuration (profile, address, kinds, region, category mapping)."""

from django.contrib import admin

from .models import Destination


@admin.register(Destination)
class DestinationAdmin(admin.ModelAdmin):
    """Destinations; the lease columns are the workers' business."""

    list_display = ("code", "name", "profile", "signature", "region_prefix", "active")
    exclude = ("lease_until", "lease_owner")
