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


class CallerScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call,misc]
    """The LMS session cookie (no CSRF: the body's session token is bound to it) or an app token."""

    target_class = "xueshi_core.rest_auth.CallerAuthentication"
    match_subclasses = True
    name = ["cookieAuthNoCsrf", "appTokenAuth"]

    def get_security_definition(self, auto_schema: Any) -> list[dict[str, str]]:
        """The session cookie of the sign-in the token was issued to, or ``JWT``/``Bearer`` tokens."""
        return [
            {
                "type": "apiKey",
                "in": "cookie",
                "name": "sessionid",
                "description": "the browser session the session token was issued to",
            },
            {
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": "`JWT <token>` or `Bearer <token>` of the token's user (the apps)",
            },
        ]
