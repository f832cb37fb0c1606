"""Who is calling: the one answer every Xueshi view, middleware and handler asks for (ADR 0030).

Django and the platform already know how to authenticate; this module only puts their answers in
one place so that no endpoint reads a JWT, a Bearer token or a session its own way:

- ``Authorization: JWT …``: edx-drf-extensions' ``JwtAuthentication`` (through ``compat``), as
  every LMS API; a bad token is refused, never treated as anonymous.
- ``Authorization: Bearer …``: the LMS's DOT ``BearerAuthentication`` (through ``compat``). Where
  django-oauth-toolkit is absent nothing can verify an opaque token, so it is refused.
- otherwise the Django session, with what ``AuthenticationMiddleware`` checks: the session's
  auth hash (a password change ends old sessions) and, here, an active account. The heartbeat
  must not load the user row on every beat (ADR 0702), so the user's current session auth hash
  is kept in the cache, deleted whenever the user row is saved and re-read after
  ``XUESHI_CALLER_CACHE_SECONDS``; on any miss or mismatch Django's own ``get_user`` decides.

Inactive accounts are refused on every path. The answer is memoised on the request.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from typing import Any

SESSION, JWT, BEARER = "session", "jwt", "bearer"
NO_SESSION = bytes(8)
_MEMO = "_xueshi_caller"
_CACHE_PREFIX = "xueshi:caller:v1:"
_DJANGO_CHECKED = "_cached_user"  # where django.contrib.auth.middleware.get_user keeps its answer


class CallerRefused(Exception):
    """Credentials were sent but do not authenticate an active account: answer 401."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code, self.detail = code, detail


@dataclass(frozen=True)
class Caller:
    """An authenticated, active account and how it proved itself."""

    user_id: int
    via: str
    session_key: str = ""
    known_user: Any = field(default=None, compare=False, repr=False)

    @property
    def binding(self) -> bytes:
        """What a credential issued to this caller is bound to: its browser session, if any."""
        return session_binding(self.session_key)

    def user(self) -> Any:
        """The user row (loaded only when asked: the heartbeat never asks)."""
        if self.known_user is not None:
            return self.known_user
        from django.contrib.auth import get_user_model

        return get_user_model().objects.get(pk=self.user_id)


def session_binding(session_key: str) -> bytes:
    """8 bytes naming a Django session without revealing its key (``NO_SESSION`` without one)."""
    if not session_key:
        return NO_SESSION
    return hashlib.sha256(b"xueshi.caller.session|" + session_key.encode("utf-8")).digest()[:8]


def who_is_calling(request: Any) -> Caller | None:
    """The authenticated caller of ``request``; ``None`` when it sends no credentials.

    Raises:
        CallerRefused: a token or session was sent but is invalid, expired, or of an inactive
            account (including a session ended by a password change).
    """
    request = getattr(request, "_request", request)  # a DRF Request wraps the Django one
    memo: tuple[Caller | None, CallerRefused | None] | None = request.__dict__.get(_MEMO)
    if memo is None:
        try:
            memo = (_identify(request), None)
        except CallerRefused as exc:
            memo = (None, exc)
        request.__dict__[_MEMO] = memo
    if memo[1] is not None:
        raise memo[1]
    return memo[0]


def current_caller() -> Caller | None:
    """The caller of the request this thread serves (``crum``, as the LMS installs it), if any."""
    from crum import get_current_request

    request = get_current_request()
    if request is None:
        return None
    try:
        return who_is_calling(request)
    except CallerRefused:
        return None


def _identify(request: Any) -> Caller | None:
    scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").strip().partition(" ")
    if scheme.lower() == JWT:
        return _token_caller(request, JWT, _jwt_class())
    if scheme.lower() == BEARER and token.strip():
        return _token_caller(request, BEARER, _bearer_class())
    return _session_caller(request)


def _jwt_class() -> type:
    from . import compat

    return compat.jwt_authentication_class()


def _bearer_class() -> type | None:
    from . import compat

    return compat.bearer_authentication_class()


def _token_caller(request: Any, via: str, authentication: type | None) -> Caller:
    if authentication is None:
        raise CallerRefused("token_unverifiable", "this server cannot verify opaque Bearer tokens")
    from rest_framework.exceptions import APIException
    from rest_framework.request import Request

    try:
        found = authentication().authenticate(Request(request))
    except APIException as exc:
        raise CallerRefused("authentication_failed", str(exc.detail)) from exc
    if not found:
        raise CallerRefused("authentication_failed", f"{via} credentials were not accepted")
    user = found[0]
    if not getattr(user, "is_active", False):
        raise CallerRefused("user_inactive", "this account is not active")
    return Caller(int(user.pk), via, known_user=user)


def _session_caller(request: Any) -> Caller | None:
    from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY

    session = getattr(request, "session", None)
    if session is None:
        return None
    raw_id = session.get(SESSION_KEY)
    if raw_id is None:
        return None
    try:
        user_id = int(raw_id)
    except (TypeError, ValueError):
        return None
    checked = request.__dict__.get(_DJANGO_CHECKED)
    if checked is not None:
        # Django's AuthenticationMiddleware already resolved this request's user (the one-device
        # check asks for it on every signed-in request): auth hash, backend, all verified. Reuse
        # it rather than pay a cache round trip for the same answer (ADR 0707).
        return _caller_from_user(request, checked, user_id, remember=False)
    claimed = str(session.get(HASH_SESSION_KEY) or "")
    cached = _cache().get(_cache_key(user_id))
    if claimed and isinstance(cached, str) and hmac.compare_digest(cached, claimed):
        return Caller(user_id, SESSION, session.session_key or "")
    return _checked_by_django(request, user_id)


def _checked_by_django(request: Any, user_id: int) -> Caller | None:
    """Django's full check (auth hash with fallbacks, backend); remember a good answer."""
    from django.contrib.auth import get_user

    return _caller_from_user(request, get_user(request), user_id, remember=True)  # flushes a stale session


def _caller_from_user(request: Any, user: Any, user_id: int, *, remember: bool) -> Caller:
    """The caller Django's session check found (``get_user``); refused unless active and the same id.

    ``remember``: cache the user's current auth hash for later requests (after our own ``get_user``).
    """
    from django.contrib.auth import HASH_SESSION_KEY

    if not user.is_authenticated or int(user.pk) != user_id:
        raise CallerRefused("session_expired", "the session has ended; sign in again")
    if not user.is_active:
        raise CallerRefused("user_inactive", "this account is not active")
    if not remember:
        return Caller(user_id, SESSION, request.session.session_key or "", known_user=user)
    current = user.get_session_auth_hash()
    if request.session.get(HASH_SESSION_KEY) == current:
        _cache().set(_cache_key(user_id), current, _cache_seconds())
    return Caller(user_id, SESSION, request.session.session_key or "", known_user=user)


def jwt_claims(token: str) -> dict[str, Any] | None:
    """The verified claims of a raw JWT (for checks that hold a token, not a request); ``None`` if bad.

    Verified by edx-drf-extensions' decoder (``compat.jwt_decode``): signature against the
    platform's keys, issuer, audience, expiry.
    """
    from . import compat

    try:
        return compat.jwt_decode(token)
    except Exception:  # any decoding or signature error means "not a JWT we trust"
        return None


def forget(user_id: int) -> None:
    """Drop what is remembered of an account (its row changed: password, active flag)."""
    _cache().delete(_cache_key(user_id))


def _cache_key(user_id: int) -> str:
    return f"{_CACHE_PREFIX}{user_id}"


def _cache_seconds() -> int:
    from django.conf import settings

    return int(getattr(settings, "XUESHI_CALLER_CACHE_SECONDS", 300))


def _cache() -> Any:
    from django.conf import settings
    from django.core.cache import caches

    return caches[getattr(settings, "XUESHI_CALLER_CACHE", "default")]
