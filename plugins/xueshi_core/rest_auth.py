"""``xueshi_core.caller`` as DRF authentication classes, for APIs that answer through DRF.

``request.auth`` is the ``Caller``. ``CallerAuthentication`` gives views the user row;
``TokenBoundCallerAuthentication`` (the ledger's beats) a light stand-in carrying the id, so a
beat loads no user row (ADR 0702).
"""

from __future__ import annotations

from typing import Any

from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.exceptions import AuthenticationFailed

from .caller import SESSION, Caller, CallerRefused, who_is_calling


class CallerUser:
    """Who the caller is, as much as DRF's permission checks need."""

    is_authenticated = True
    is_anonymous = False

    def __init__(self, caller: Caller) -> None:
        self.id = self.pk = caller.user_id
        self.caller = caller


class CallerAuthentication(BaseAuthentication):
    """Session (auth hash and active account checked), JWT or DOT Bearer token, one way.

    A session caller's unsafe requests need the CSRF token, as with DRF's ``SessionAuthentication``.
    """

    enforce_csrf = True
    load_user = True

    def authenticate(self, request: Any) -> tuple[Any, Caller] | None:
        """``(user, caller)``; ``None`` without credentials; 401 for bad ones."""
        try:
            caller = who_is_calling(request)
        except CallerRefused as exc:
            raise AuthenticationFailed(exc.detail, exc.code) from exc
        if caller is None:
            return None
        if caller.via == SESSION and self.enforce_csrf:
            SessionAuthentication().enforce_csrf(request)
        return (caller.user() if self.load_user else CallerUser(caller)), caller

    def authenticate_header(self, request: Any) -> str:
        """The ``WWW-Authenticate`` challenge that makes DRF answer 401 rather than 403."""
        return 'JWT realm="api"'


class TokenBoundCallerAuthentication(CallerAuthentication):
    """For the ledger's beats: no CSRF (``sendBeacon`` cannot send it), no user row.

    The body's session token, bound to this caller's sign-in, is what a cross-site page cannot know.
    """

    enforce_csrf = False
    load_user = False
