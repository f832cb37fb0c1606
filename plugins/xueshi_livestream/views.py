"""The provider's stream callbacks: verified like the provider signs them, then applied.

One URL for every event (``/xueshi/live/callback/``): the configured provider's adapter reads the
method, body, query and headers it uses. Anything not signed by the provider is a 403, anything
not understood a 400; nothing here is a 500 (ADR 0350).
"""

from __future__ import annotations

import time

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from . import events, providers

MAX_BODY = 16 * 1024


@csrf_exempt
def callback(request: HttpRequest) -> JsonResponse:
    """Receive one stream callback (push start/stop, recording ready)."""
    try:
        adapter = providers.get()
    except LookupError:
        return JsonResponse({"code": 404, "error": "live_off"}, status=404)
    length = str(request.META.get("CONTENT_LENGTH") or "0")
    if not length.isdigit() or int(length) > MAX_BODY:
        return JsonResponse({"code": 413, "error": "body_too_large"}, status=413)
    try:
        query = request.META.get("QUERY_STRING", "")
        event = adapter.parse_callback(
            request.method or "", request.body, query, request.headers, time.time()
        )
    except providers.CallbackRefused as exc:
        return JsonResponse({"code": exc.status, "error": exc.code}, status=exc.status)
    known = events.apply(event)
    return JsonResponse({"code": 0, "known": known})
