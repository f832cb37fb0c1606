"""``GET /xueshi/access/api/v1/device``: which device this client is, for the app and the web.

A client whose device was ended never reaches this view: ``DeviceMiddleware`` answers
``401 {"error_code": "session_replaced"}`` first. Authenticated by JWT (the app) or session.
"""

from __future__ import annotations

from typing import Any

from edx_rest_framework_extensions.auth.jwt.authentication import JwtAuthentication
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xueshi_access import compat, conf, devices, tokens
from xueshi_access.handlers import SESSION_DEVICE_KEY
from xueshi_access.models import SignInDevice
from xueshi_core.drf import GuardedViewMixin


class DeviceView(GuardedViewMixin, APIView):
    """The caller's device record and the policy in force."""

    permission_classes = [IsAuthenticated]

    def get_authenticators(self) -> list[Any]:
        """JWT and DOT Bearer tokens (the app), session (the web)."""
        return [JwtAuthentication(), compat.bearer_authentication_class()(), SessionAuthentication()]

    def get(self, request: Request) -> Response:
        """``{"device_id", "channel", "kind", "signed_in_at", "policy"}`` (device fields may be null)."""
        device_id = ""
        parsed = tokens.parse_authorization(request.META.get("HTTP_AUTHORIZATION", ""))
        if parsed is not None:
            device_id = tokens.check(*parsed).device_id
        if not device_id and hasattr(request, "session"):
            device_id = str(request.session.get(SESSION_DEVICE_KEY, ""))
        row = (
            SignInDevice.objects.filter(pk=device_id, user_id=request.user.id).first() if device_id else None
        )
        current = devices.hydrate(request.user.id)
        return Response(
            {
                "device_id": str(row.id) if row else None,
                "channel": row.channel if row else None,
                "kind": row.kind if row else None,
                "signed_in_at": row.signed_in_at.isoformat() if row else None,
                "current": bool(row) and str(row.id) == current,
                "policy": conf.concurrent_login(),
            }
        )
