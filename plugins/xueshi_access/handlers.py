"""Receivers of sign-in signals: Django's auth signals and django-oauth-toolkit's ``app_authorized``.

``user_logged_in`` fires for every web session login in the LMS (the login form's
``login_user``, third-party auth, registration, ``/oauth2/login/``); ``app_authorized`` fires
inside DOT's ``TokenView`` for every token grant of ``/oauth2/access_token``, before the LMS turns
the DOT token into a JWT. Neither can change the response, so a refusal is left on the request
for ``DeviceMiddleware`` to turn into a 403 after the view.
"""

from __future__ import annotations

import logging
from typing import Any

from . import audit, conf, devices, throttle, tokens
from .data import OK, SESSION, TOKEN
from .models import AccessEvent

log = logging.getLogger(__name__)
SESSION_DEVICE_KEY = "xueshi_access_device"
REFUSED_ATTR, NEW_DEVICE_ATTR, TOKEN_DEVICE_ATTR = (
    "_xueshi_refused",
    "_xueshi_new_device",
    "_xueshi_token_device",
)
REFUSED_TOKEN_ATTR = "_xueshi_refused_token"  # noqa: S105  (an attribute name)
REFUSED_BY_ATTR = "_xueshi_refused_by"  # the device whose activity refused a web sign-in
FOLLOWED_PLATFORM = "platform_single_login"


def _in_lms() -> bool:
    from xueshi_core.api import LMS, current_project_type

    return current_project_type() == LMS


def applies_to(user: Any) -> bool:
    """Whether the one-device rule covers this account in this process."""
    return conf.enforce_single_device() and _in_lms() and user.username not in conf.exempt_usernames()


def _joins_current_device(request: Any, user_id: int) -> str:
    """The app's device when this web login is the app opening a web view with its own token."""
    parsed = tokens.parse_authorization(request.META.get("HTTP_AUTHORIZATION", ""))
    if parsed is None:
        return ""
    verdict = tokens.check(*parsed)
    return verdict.device_id if verdict.status == OK and verdict.user_id == user_id else ""


def on_user_logged_in(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    """A web session began: make it the account's current device (or refuse it)."""
    if request is None or user is None or not hasattr(request, "session"):
        return
    client = audit.client_of(request)
    if not applies_to(user):
        audit.record(AccessEvent.SIGN_IN, client, user=user, channel=SESSION)
        return
    joined = _joins_current_device(request, user.id)
    if joined:
        request.session[SESSION_DEVICE_KEY] = joined
        audit.record(
            AccessEvent.SIGN_IN, client, user=user, channel=SESSION, device=joined, reason="app_web_view"
        )
        return
    result = devices.begin(user.id, SESSION, client, session_key=request.session.session_key or "")
    if result.refused:  # decided after the view, once every login receiver has run (settle_refusal)
        setattr(request, REFUSED_ATTR, SESSION)
        setattr(request, REFUSED_BY_ATTR, result.replaced_device)
        return
    _session_signed_in(request, user, client, result.device_id)


def _session_signed_in(request: Any, user: Any, client: Any, device_id: str, reason: str = "") -> None:
    request.session[SESSION_DEVICE_KEY] = device_id
    setattr(request, NEW_DEVICE_ATTR, (user.id, device_id))
    tokens.revoke_all_except(user.id, device_id)
    throttle.clear_account(user.username)
    audit.record(AccessEvent.SIGN_IN, client, user=user, channel=SESSION, device=device_id, reason=reason)


def settle_refusal(request: Any) -> bool:
    """After a web sign-in the ``refuse`` policy turned down: refuse it, or follow the platform.

    Sign-ins that run no ``StudentLoginRequested`` filter (SSO, ``/oauth2/login/``) are refused
    only after ``login()``. By then Open edX's own single login (``PREVENT_CONCURRENT_LOGINS``)
    may already have deleted the older browser's session; refusing the new one too would end both
    devices. When the active device's session is gone we follow the platform (ADR 0032): the new
    session becomes the current device and the older device is ended as replaced. Returns whether
    the sign-in stands.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    client = audit.client_of(request)
    holder = str(getattr(request, REFUSED_BY_ATTR, "") or "")
    if holder and devices.session_gone(holder):
        key = request.session.session_key or ""
        result = devices.begin(user.id, SESSION, client, session_key=key, policy=conf.TAKEOVER)
        if not result.refused:
            _session_signed_in(request, user, client, result.device_id, FOLLOWED_PLATFORM)
            return True
    audit.record(AccessEvent.REFUSED, client, user=user, channel=SESSION, reason="signed_in_elsewhere")
    return False


def on_user_logged_out(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    """A web session ended by the learner (sent before the session is flushed)."""
    if request is None or user is None:
        return
    device = getattr(request, "session", {}).get(SESSION_DEVICE_KEY, "")
    if device and _in_lms() and devices.check(user.id, device).status == OK:
        devices.end(user.id, device, "signed_out")
    audit.record(
        AccessEvent.SIGN_OUT, audit.client_of(request), user=user, channel=SESSION, device=device or None
    )


def _current_request(request: Any) -> Any:
    """A Django request: the one given, or the one ``crum`` holds (DOT passes oauthlib's own)."""
    if hasattr(request, "META"):
        return request
    from crum import get_current_request

    return get_current_request()


def on_user_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    """A failed attempt: audit it and count it for throttling."""
    request = _current_request(request)
    username = str(credentials.get("username") or credentials.get("email") or "")[:150]
    client = audit.client_of(request, token_grant=_is_token_path(request))
    audit.record(AccessEvent.FAILED, client, username=username, user=_user_named(username))
    lock = throttle.record_failure(username, client.ip)
    if lock is not None:
        audit.record(AccessEvent.THROTTLED, client, username=username, reason=f"{lock.scope}_locked")


def _user_named(username: str) -> Any:
    from django.contrib.auth import get_user_model

    if not username:
        return None
    model = get_user_model()
    return model.objects.filter(username=username).first() or model.objects.filter(email=username).first()


def _is_token_path(request: Any) -> bool:
    return request is not None and getattr(request, "path", "") in conf.token_paths()


def on_app_authorized(sender: Any, request: Any = None, token: Any = None, **kwargs: Any) -> None:
    """DOT issued a token: a sign-in of the app (password grant) or a refresh of its device."""
    user = getattr(token, "user", None)
    if request is None or user is None:
        return  # client-credentials tokens belong to no learner
    client = audit.client_of(request, token_grant=True)
    if not applies_to(user):
        audit.record(AccessEvent.SIGN_IN, client, user=user, channel=TOKEN)
        return
    if request.POST.get("grant_type") == "refresh_token":
        device = tokens.bound_device(str(request.POST.get("refresh_token", "")))
        if device is not None and devices.check(*device).status == OK:
            tokens.remember_dot_tokens(user.id, device[1], token)
            setattr(request, TOKEN_DEVICE_ATTR, device)
            return
    result = devices.begin(user.id, TOKEN, client)
    if result.refused:
        # Deleted after the view: the LMS still builds its JWT from this row (oauth_dispatch/jwt.py).
        setattr(request, REFUSED_TOKEN_ATTR, (user.id, token.pk))
        setattr(request, REFUSED_ATTR, TOKEN)
        audit.record(AccessEvent.REFUSED, client, user=user, channel=TOKEN, reason="signed_in_elsewhere")
        return
    tokens.remember_dot_tokens(user.id, result.device_id, token)
    tokens.revoke_all_except(user.id, result.device_id)
    setattr(request, TOKEN_DEVICE_ATTR, (user.id, result.device_id))
    throttle.clear_account(user.username)
    audit.record(AccessEvent.SIGN_IN, client, user=user, channel=TOKEN, device=result.device_id)


def on_account_retiring(sender: Any, retiree: Any, **kwargs: Any) -> None:
    """``xueshi_core.retirement.ACCOUNT_RETIRING``: this app's step (``retirement``)."""
    from .retirement import retire_account

    retire_account(retiree)


def purge_past_retention(sender: Any, purge: Any, **kwargs: Any) -> None:
    """``xueshi_core.retention.RETENTION_DUE``: sign-in audit rows past ``AUDIT_RETENTION_DAYS``.

    The audit keeps its own period (default five years and a day, the daily ``purge_audit`` uses
    it too), so the yearly setting never cuts the access log shorter than the operator set it.
    """
    from datetime import UTC, datetime, timedelta

    cutoff = datetime.fromtimestamp(conf.now(), tz=UTC) - timedelta(days=conf.retention_days())
    purge.delete("access.sign_in_audit", AccessEvent.objects.filter(at__lt=cutoff))
