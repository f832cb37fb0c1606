"""Stand-in for ``openedx/core/lib/api/authentication.py``.

The sandbox runs no OAuth2 provider (django-oauth-toolkit), so there are no Bearer tokens to
accept: this class declines every request and DRF moves on to JWT and session authentication.
"""

from rest_framework.authentication import BaseAuthentication


class BearerAuthenticationAllowInactiveUser(BaseAuthentication):
    """Declines: mobile-style clients use JWTs from ``/oauth2/access_token`` in the sandbox."""

    def authenticate(self, request):
        """No Bearer tokens exist here."""
        return None
