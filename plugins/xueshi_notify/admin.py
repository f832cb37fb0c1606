"""Admin: the send log is read-only evidence; WeChat bindings are read (masked) and may be deleted."""

from __future__ import annotations

from typing import Any

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
class WechatBindingAdmin(ReadOnlyAdmin):
    """A learner's binding (the openid never shown: learners bind on their notifications page)."""

    list_display = ("user", "appid", "bound_at")
    search_fields = ("user__username",)
    exclude = ("openid",)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        """Deleting a binding is unbinding the learner (when they ask support to)."""
        return bool(request.user.is_superuser)
