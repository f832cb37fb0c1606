"""Stand-in for ``openedx/core/lib/api/authentication.py``: Bearer tokens from django-oauth-toolkit.

Same rules and error codes as the LMS's ``BearerAuthentication`` (Verawood): the header must be
``Bearer <token>`` with no spaces in the token; the token is looked up in DOT's ``AccessToken``
table; a missing or expired token, an account disabled by an administrator (unusable password and
no OAuth2 application of its own) and, unless ``allow_inactive_users``, an inactive account are
refused with ``{"error_code", "developer_message"}``.
"""

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

OAUTH2_TOKEN_ERROR_EXPIRED = "token_expired"  # noqa: S105  (an error code, the platform's name)
OAUTH2_TOKEN_ERROR_MALFORMED = "token_malformed"  # noqa: S105  (an error code, the platform's name)
OAUTH2_TOKEN_ERROR_NONEXISTENT = "token_nonexistent"  # noqa: S105  (an error code, the platform's name)
OAUTH2_TOKEN_ERROR_NOT_PROVIDED = "token_not_provided"  # noqa: S105  (an error code, the platform's name)
OAUTH2_USER_NOT_ACTIVE_ERROR = "user_not_active"
OAUTH2_USER_DISABLED_ERROR = "user_is_disabled"


def _refuse(code, message):
    return exceptions.AuthenticationFailed({"error_code": code, "developer_message": message})


class BearerAuthentication(BaseAuthentication):
    """``Authorization: Bearer <DOT access token>``."""

    www_authenticate_realm = "api"
    allow_inactive_users = False

    def authenticate(self, request):
        """Return ``(user, token)``; ``None`` without a Bearer header."""
        auth = get_authorization_header(request).split()
        if len(auth) == 1:
            raise _refuse(OAUTH2_TOKEN_ERROR_NOT_PROVIDED, "Invalid token header. No credentials provided.")
        if len(auth) > 2:
            raise _refuse(
                OAUTH2_TOKEN_ERROR_MALFORMED, "Invalid token header. Token string should not contain spaces."
            )
        if not auth or auth[0].lower() != b"bearer":
            return None
        return self.authenticate_credentials(auth[1].decode("utf8"))

    def authenticate_credentials(self, access_token):
        """The token's user, after the platform's checks."""
        from oauth2_provider import models as dot_models

        token = dot_models.AccessToken.objects.select_related("user").filter(token=access_token).first()
        if not token:
            raise _refuse(
                OAUTH2_TOKEN_ERROR_NONEXISTENT, "The provided access token does not match any valid tokens."
            )
        if token.expires < timezone.now():
            raise _refuse(
                OAUTH2_TOKEN_ERROR_EXPIRED, "The provided access token has expired and is no longer valid."
            )
        user = token.user
        has_application = dot_models.Application.objects.filter(user_id=user.id).exists()
        if not user.has_usable_password() and not has_application:
            raise _refuse(OAUTH2_USER_DISABLED_ERROR, f"User disabled by admin: {user.get_username()}")
        if not self.allow_inactive_users and not user.is_active:
            raise _refuse(OAUTH2_USER_NOT_ACTIVE_ERROR, f"User inactive or deleted: {user.get_username()}")
        return user, token

    def authenticate_header(self, request):
        """The ``WWW-Authenticate`` challenge of a 401."""
        return f'Bearer realm="{self.www_authenticate_realm}"'


class BearerAuthenticationAllowInactiveUser(BearerAuthentication):
    """Same, also for inactive accounts (what edx-completion's API and the mobile apps use)."""

    allow_inactive_users = True
