"""``DeviceMiddleware``: one device at a time on every request, and sign-in throttling.

Installed by this app's plugin settings at the end of ``MIDDLEWARE`` (after sessions,
authentication and edx-drf-extensions' JWT cookie middleware), in the LMS only. Per request it
costs one pipelined Redis round trip for a signed-in session or a bound token, nothing for
anonymous requests. Ended clients are told why: API calls get ``401 {"error_code": ...}``,
pages a redirect to ``/xueshi/access/ended/`` with the notice in Chinese or English.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from xueshi_core import faults, outage
from xueshi_core.redisclients import RedisError

from . import audit, conf, devices, messages, throttle, tokens
from .data import OK, REFUSED, REPLACED, SIGNED_OUT, UNKNOWN, Verdict
from .handlers import (
    NEW_DEVICE_ATTR,
    REFUSED_ATTR,
    REFUSED_TOKEN_ATTR,
    SESSION_DEVICE_KEY,
    TOKEN_DEVICE_ATTR,
    applies_to,
)
from .models import AccessEvent

log = logging.getLogger(__name__)
DEVICE_COOKIE = "xueshi_device"
COOKIE_SALT = "xueshi_access.device"
COOKIE_AGE = 30 * 86400
SKIP_PREFIXES = ("/static/", "/media/", "/favicon.ico", "/xueshi/access/ended/")


def wants_json(request: HttpRequest) -> bool:
    """API and AJAX calls get JSON errors; page loads get a page."""
    accept = request.META.get("HTTP_ACCEPT", "")
    return (
        "/api/" in request.path
        or request.path in conf.token_paths()
        or request.headers.get("x-requested-with") == "XMLHttpRequest"
        or "HTTP_AUTHORIZATION" in request.META
        or ("application/json" in accept and "text/html" not in accept)
        or request.content_type == "application/json"
    )


def _notice_url(reason: str, next_url: str = "") -> str:
    query = {"reason": reason}
    if next_url:
        query["next"] = next_url
    return f"{reverse('xueshi_access:ended')}?{urlencode(query)}"


def ended_response(request: HttpRequest, reason: str) -> HttpResponse:
    """Tell an ended client why, in the form it can show."""
    text = messages.ended_message(reason)
    if wants_json(request):
        code = messages.code_for(reason)
        body = {
            "error": code,
            "error_code": code,
            "message": text,
            "detail": text,
            "login_url": settings.LOGIN_URL,
        }
        return JsonResponse(body, status=401)
    next_url = request.get_full_path() if request.method == "GET" else ""
    return HttpResponseRedirect(_notice_url(reason, next_url))


def refused_response(request: HttpRequest, channel: str) -> HttpResponse:
    """Refuse a sign-in under the ``refuse`` policy (shapes of the LMS login and OAuth2 errors)."""
    text = messages.refused_message(max(1, conf.active_seconds() // 60))
    code = messages.code_for(REFUSED)
    if channel == "token":
        body = {"error": "access_denied", "error_code": code, "error_description": text, "message": text}
        return JsonResponse(body, status=403)
    if wants_json(request):
        return JsonResponse(
            {"success": False, "value": text, "error_code": code, "message": text}, status=403
        )
    return render(request, "xueshi_access/ended.html", {"message": text, "reason": REFUSED}, status=403)


def throttled_response(request: HttpRequest, lock: throttle.Lock) -> HttpResponse:
    """Block a sign-in attempt while its account or IP is locked."""
    text = messages.locked_message(lock.scope, lock.minutes)
    code = f"{lock.scope}_locked"
    if wants_json(request) or request.path in conf.token_paths():
        body = {
            "error": "too_many_requests",
            "error_code": code,
            "error_description": text,
            "message": text,
            "value": text,
            "success": False,
        }
        response: HttpResponse = JsonResponse(body, status=429)
    else:
        response = render(request, "xueshi_access/ended.html", {"message": text, "reason": code}, status=429)
    response["Retry-After"] = str(lock.seconds)
    return response


class DeviceMiddleware:
    """Check each request against the account's current device; throttle sign-in attempts."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        """Standard Django middleware."""
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Refuse ended devices and locked attempts before the view; finish sign-ins after it."""
        try:
            early = self._throttle(request) or self._check(request)
        except RedisError:
            early = self._without_redis(request)
        if early is not None:
            return early
        response = self.get_response(request)
        return self._after(request, response)

    # -- before the view ------------------------------------------------------------------------
    @staticmethod
    def _without_redis(request: HttpRequest) -> HttpResponse | None:
        """Redis is down (ADR 0062): refuse sign-ins and study, serve other pages unchecked; count each."""
        log.error("device check skipped: Redis unavailable (%s %s)", request.method, request.path)
        if request.method == "POST" and request.path in conf.login_paths() | conf.token_paths():
            faults.count(faults.SIGN_IN_REFUSED)  # neither throttling nor one device could be enforced
            return outage.unavailable_response(request, outage.SIGN_IN)
        if request.path.startswith(conf.fail_closed_prefixes()):
            faults.count(faults.DEVICE_CHECK_REFUSED)
            return outage.unavailable_response(request, outage.STUDY)
        faults.count(faults.DEVICE_CHECK_SKIPPED)
        return None

    def _throttle(self, request: HttpRequest) -> HttpResponse | None:
        if request.method != "POST" or request.path not in conf.login_paths() | conf.token_paths():
            return None
        if request.POST.get("grant_type") == "refresh_token":
            return None
        username = str(
            request.POST.get("username")
            or request.POST.get("email_or_username")
            or request.POST.get("email")
            or ""
        )[:150]
        client = audit.client_of(request, token_grant=request.path in conf.token_paths())
        lock = throttle.current_lock(username, client.ip)
        if lock is None:
            return None
        audit.record(AccessEvent.THROTTLED, client, username=username, reason=f"{lock.scope}_locked")
        return throttled_response(request, lock)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        if not conf.enforce_single_device() or request.path.startswith(SKIP_PREFIXES):
            return None
        parsed = tokens.parse_authorization(request.META.get("HTTP_AUTHORIZATION", ""))
        if parsed is not None:
            verdict = tokens.check(*parsed)
            if verdict.ended:
                return ended_response(request, verdict.status)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            verdict = self._session_verdict(request, user)
            if verdict.ended:
                logout(request)
                return ended_response(request, verdict.status)
            return None
        return self._cookie_notice(request)

    def _session_verdict(self, request: HttpRequest, user: Any) -> Verdict:
        if not applies_to(user):
            return Verdict(UNKNOWN)
        device = request.session.get(SESSION_DEVICE_KEY)
        if device:
            return devices.check(user.id, str(device))
        if devices.hydrate(user.id):
            return Verdict(REPLACED, user.id)  # a session from before the rule, with a device elsewhere
        result = devices.begin(
            user.id, "session", audit.client_of(request), session_key=request.session.session_key or ""
        )
        if result.device_id:
            request.session[SESSION_DEVICE_KEY] = result.device_id  # adopted: the only session there is
        return Verdict(OK, user.id, result.device_id)

    def _cookie_notice(self, request: HttpRequest) -> HttpResponse | None:
        """A browser whose session was deleted (ended elsewhere) learns why, once."""
        if request.path in conf.login_paths() | conf.token_paths():
            return None  # never stand between a browser and its next sign-in
        if request.method != "GET" and not wants_json(request):
            return None
        device = request.get_signed_cookie(DEVICE_COOKIE, default="", salt=COOKIE_SALT)
        if not device:
            return None
        reason = devices.ended_reason(device)
        if not reason or reason == SIGNED_OUT:
            return None
        response = ended_response(request, reason)
        if not wants_json(request):
            response.delete_cookie(DEVICE_COOKIE)  # told on a page: from now on, the plain sign-in
        return response

    # -- after the view -------------------------------------------------------------------------
    def _after(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        refused = getattr(request, REFUSED_ATTR, "")
        if refused:
            if refused == "session":
                logout(request)
            refused_token = getattr(request, REFUSED_TOKEN_ATTR, None)
            if refused_token is not None:
                tokens.revoke_ids(*refused_token)
            return refused_response(request, refused)
        new_device = getattr(request, NEW_DEVICE_ATTR, None)
        if new_device is not None:
            user_id, device = new_device
            if request.session.session_key:
                devices.attach_session(user_id, device, request.session.session_key)
            response.set_signed_cookie(
                DEVICE_COOKIE,
                device,
                salt=COOKIE_SALT,
                max_age=COOKIE_AGE,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        token_device = getattr(request, TOKEN_DEVICE_ATTR, None)
        if token_device is not None and response.status_code == 200:
            self._bind_issued_token(response, *token_device)
        return response

    @staticmethod
    def _bind_issued_token(response: HttpResponse, user_id: int, device: str) -> None:
        """Bind the token the client really received (the JWT built from the DOT token)."""
        try:
            body = json.loads(response.content)
        except (ValueError, UnicodeDecodeError):
            return
        issued = body.get("access_token") if isinstance(body, dict) else None
        if isinstance(issued, str) and issued:
            tokens.bind(user_id, device, issued, int(body.get("expires_in") or 3600))
        if devices.check(user_id, device).status != OK:
            log.warning("token issued to device %s which is no longer current", device)
