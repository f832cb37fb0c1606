"""Stand-in for ``openedx/core/lib/api/authentication.py``: Bearer tokens from django-oauth-toolkit.

Like the LMS's classes, it looks the opaque token up in DOT's ``AccessToken`` table and refuses
expired ones; the ``AllowInactiveUser`` variant also lets inactive accounts through.
"""

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication


class BearerAuthentication(BaseAuthentication):
    """``Authorization: Bearer <DOT access token>``."""

    allow_inactive_users = False

    def authenticate(self, request):
        """Return ``(user, token)``; ``None`` without a Bearer header."""
        from oauth2_provider.models import get_access_token_model

        scheme, _, key = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            return None
        token = get_access_token_model().objects.select_related("user").filter(token=key.strip()).first()
        if token is None or token.expires < timezone.now():
            raise exceptions.AuthenticationFailed(
                {"error_code": "token_not_provided", "developer_message": "bad token"}
            )
        if not token.user.is_active and not self.allow_inactive_users:
            raise exceptions.AuthenticationFailed({"error_code": "user_inactive"})
        return token.user, token

    def authenticate_header(self, request):
        """The ``WWW-Authenticate`` challenge of a 401."""
        return 'Bearer realm="api"'


class BearerAuthenticationAllowInactiveUser(BearerAuthentication):
    """Same, also for inactive accounts (what edx-completion's API uses)."""

    allow_inactive_users = True
