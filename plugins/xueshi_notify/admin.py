"""Admin: the send log is read-only evidence; WeChat bindings may be set by hand (no OAuth binding yet)."""

from __future__ import annotations

from django.contrib import admin

from xueshi_core.readonly_admin import ReadOnlyAdmin

from .models import Delivery, WechatBinding


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    """Looked at here; operators act on the send log page (send again)."""

    list_display = ("notification", "channel", "state", "address_masked", "provider_message_id", "created_at")
    list_filter = ("state", "channel", "notification__kind")
    search_fields = ("notification__dedupe_key", "provider_message_id")


@admin.register(WechatBinding)
class WechatBindingAdmin(admin.ModelAdmin):
    """A learner's openid under the site's official account."""

    list_display = ("user", "bound_at")
    search_fields = ("user__username",)
    raw_id_fields = ("user",)
