"""OAuth2 access tokens and JWTs of the mobile app: bind them to a device, check, revoke.

Open edX issues django-oauth-toolkit (DOT) tokens at ``/oauth2/access_token`` and, with
``token_type=jwt``, hands the app a JWT built from that DOT token (``oauth_dispatch/jwt.py``
``create_jwt_token_dict``). Every token a device receives is bound here by its SHA-256
fingerprint. JWTs cannot be revoked, so a JWT that is not bound to the current device is refused
when it was issued before the current device signed in (its ``iat``). DOT rows of ended devices
are deleted, as the platform's own ``destroy_oauth_tokens`` does at a password change.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import Any

from django.apps import apps

from xueshi_core.caller import jwt_claims

from . import devices, hotstate
from .data import OK, REPLACED, UNKNOWN, Verdict

log = logging.getLogger(__name__)
BIND_TTL_MAX = 30 * 86400
SCHEMES = ("bearer", "jwt")


def fingerprint(token: str) -> str:
    """A stable, non-reversible name of a token (never store the token itself)."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()[:40]


def parse_authorization(header: str) -> tuple[str, str] | None:
    """``("bearer"|"jwt", token)`` from an ``Authorization`` header, else ``None``."""
    scheme, _, token = (header or "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() not in SCHEMES or not token or len(token) > 8192:
        return None
    return scheme.lower(), token


def bind(user_id: int, device_id: str, token: str, ttl: int) -> None:
    """Remember that ``token`` was issued to ``device_id`` (for its lifetime, at most 30 days)."""
    ttl = max(60, min(int(ttl or 3600), BIND_TTL_MAX))
    hotstate.client().set(hotstate.token_key(fingerprint(token)), f"{user_id}:{device_id}", ex=ttl)


def bound_device(token: str) -> tuple[int, str] | None:
    """``(user id, device id)`` the token was issued to, if we issued it."""
    raw = hotstate.client().get(hotstate.token_key(fingerprint(token)))
    if not raw:
        return None
    user, _, device = str(raw).partition(":")
    return int(user), device


def _user_id_of(claims: dict[str, Any]) -> int | None:
    if isinstance(claims.get("user_id"), int):
        return int(claims["user_id"])
    username = claims.get("preferred_username")
    if not isinstance(username, str) or not username:
        return None
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username=username).values_list("id", flat=True).first()


def check(scheme: str, token: str) -> Verdict:
    """Check an ``Authorization`` token against its account's current device."""
    bound = bound_device(token)
    if bound is not None:
        return devices.check(*bound)
    if scheme != "jwt" and token.count(".") != 2:
        return Verdict(UNKNOWN)  # an opaque token we never saw: the platform decides alone
    claims = jwt_claims(token)  # the one JWT reader: xueshi_core.caller
    if claims is None:
        return Verdict(UNKNOWN)
    user_id = _user_id_of(claims)
    if user_id is None:
        return Verdict(UNKNOWN)
    current = devices.hydrate(user_id)
    if not current:
        return Verdict(UNKNOWN, user_id)
    issued = float(claims.get("iat") or 0)
    if issued < int(devices.since(user_id, current)):
        return Verdict(REPLACED, user_id, "")
    return Verdict(OK, user_id, current)


def _dot_models() -> tuple[Any, Any] | None:
    if not apps.is_installed("oauth2_provider"):
        return None
    from oauth2_provider.models import get_access_token_model, get_refresh_token_model

    return get_access_token_model(), get_refresh_token_model()


def remember_dot_tokens(user_id: int, device_id: str, access_token: Any) -> None:
    """Bind a DOT access token and its refresh token to the device that received them."""
    expires = getattr(access_token, "expires", None)
    ttl = int(expires.timestamp() - devices.conf.now()) if expires else 3600
    bind(user_id, device_id, access_token.token, ttl)
    refresh = getattr(access_token, "refresh_token", None)
    if refresh is not None:
        bind(user_id, device_id, refresh.token, BIND_TTL_MAX)


def _revoke(user_id: int, doomed: Callable[[str], bool]) -> int:
    models = _dot_models()
    if models is None:
        return 0
    count = 0
    for model in (models[1], models[0]):  # refresh tokens first: they point at access tokens
        ids = [t.id for t in model.objects.filter(user_id=user_id).only("id", "token") if doomed(t.token)]
        if ids:
            count += model.objects.filter(id__in=ids).delete()[0]
    return count


def _device_of(token: str) -> str:
    bound = bound_device(token)
    return bound[1] if bound else ""


def revoke_device_tokens(user_id: int, device_id: str) -> int:
    """Delete the DOT tokens issued to an ended device; return how many rows went."""
    return _revoke(user_id, lambda token: _device_of(token) == device_id)


def revoke_all_except(user_id: int, keep_device: str) -> int:
    """Delete every DOT token of the account not issued to ``keep_device`` (unbound ones too).

    Used at each sign-in: tokens from before the plugin, or that Redis forgot, must not outlive
    the rule either (the platform's ``destroy_oauth_tokens`` deletes all of them the same way).
    """
    return _revoke(user_id, lambda token: _device_of(token) != keep_device)


def revoke_ids(user_id: int, access_token_id: int) -> int:
    """Delete one DOT access token of the account and its refresh token (a refused grant)."""
    models = _dot_models()
    if models is None:
        return 0
    access_model, refresh_model = models
    count = refresh_model.objects.filter(user_id=user_id, access_token_id=access_token_id).delete()[0]
    return count + access_model.objects.filter(user_id=user_id, id=access_token_id).delete()[0]
