"""OpenAPI descriptions of the authentication the ledger's endpoints accept (drf-spectacular)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class JwtAuthenticationScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call,misc]
    """``Authorization: JWT <token>``, as the Open edX mobile apps send it."""

    target_class = "edx_rest_framework_extensions.auth.jwt.authentication.JwtAuthentication"
    match_subclasses = True
    name = "jwtAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        """An API key in the Authorization header with the ``JWT`` prefix."""
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`JWT <token>` from the LMS's /oauth2/access_token",
        }


class TokenBoundSessionScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call,misc]
    """The LMS session cookie, without CSRF: the body's session token is the credential."""

    target_class = "xueshi_studytime.rest_api.v1.views.TokenBoundSessionAuthentication"
    name = "cookieAuthNoCsrf"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        """The session cookie; only cross-checked against the token's user."""
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": "optional; must belong to the token's user when present",
        }
