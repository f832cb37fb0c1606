"""What a request gets while Redis is down: a clear 503 that says what stopped, never a 500.

Views that need Redis (heartbeats, opening a playback session, face checks, sign-in throttling)
cannot do their job without it, so they fail closed: ``RedisOutageMiddleware`` turns a Redis
error escaping any view into :func:`unavailable_response`, and counts it. Study is paused, not
lost: nothing was credited for the refused heartbeat, and the player retries (ADR 0062).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import faults
from .redisclients import RedisError

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30
STUDY, SIGN_IN = "study", "sign_in"


def message(kind: str = STUDY) -> str:
    """The learner's explanation, in their language."""
    if kind == SIGN_IN:
        return _("Sign-in is briefly unavailable. Please try again in a minute.")
    return _(
        "The service is briefly unavailable, so study time is paused. Time already credited is safe;"
        " please try again in a minute."
    )


def wants_json(request: HttpRequest) -> bool:
    """API and AJAX callers get JSON; page loads get a page."""
    accept = request.META.get("HTTP_ACCEPT", "")
    return (
        "/api/" in request.path
        or "/handler" in request.path
        or request.headers.get("x-requested-with") == "XMLHttpRequest"
        or "HTTP_AUTHORIZATION" in request.META
        or request.content_type == "application/json"
        or ("application/json" in accept and "text/html" not in accept)
    )


def unavailable_response(request: HttpRequest, kind: str = STUDY) -> HttpResponse:
    """503 with ``Retry-After`` and the reason, shaped for the caller."""
    text = message(kind)
    if wants_json(request):
        body = {"error": "service_unavailable", "error_code": "service_unavailable", "message": text}
        body.update(detail=text, retry_after=str(RETRY_AFTER_SECONDS))
        response: HttpResponse = JsonResponse(body, status=503)
    else:
        response = render(request, "xueshi_core/unavailable.html", {"message": text}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class RedisOutageMiddleware:
    """Answer a Redis error raised by any view with a counted 503 instead of a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        """Standard Django middleware."""
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Pass the request on; only exceptions concern this middleware."""
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> Any:
        """A Redis outage: fail closed with the study message (Django shows other errors as usual)."""
        if not isinstance(exception, RedisError):
            return None
        log.error("Redis unavailable during %s %s: %s", request.method, request.path, exception)
        faults.count(faults.REDIS_UNAVAILABLE)
        return unavailable_response(request)
