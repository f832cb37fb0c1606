"""Provider notices: ``POST /xueshi/payments/notify/<channel>/``.

CSRF-exempt (providers post server to server). The raw body and headers go to the channel's
``parse_notice``, which verifies the signature on the exact bytes received; a ``NoticeRejected``
(bad signature, unknown key, stale, probe, tampered) gets the channel's failure reply and changes
nothing. A verified event goes through ``process_event``; the reply is the channel's own
acknowledgement. If applying the event fails, the failure reply makes the provider send it again.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .channels import base, registry
from .events import process_event

log = logging.getLogger(__name__)
MAX_NOTICE_BYTES = 64 * 1024


def _reply(channel: base.PaymentChannel, accepted: bool) -> HttpResponse:
    status, content_type, body = channel.notice_reply(accepted)
    return HttpResponse(body, status=status, content_type=content_type)


@csrf_exempt
@require_POST
def notify(request: HttpRequest, channel: str) -> HttpResponse:
    """Verify, apply once, acknowledge."""
    try:
        handler = registry.get(channel)
    except registry.UnknownChannel:
        return JsonResponse({"code": "NOT_FOUND", "message": "no such payment channel"}, status=404)
    except base.ChannelError as exc:  # keys missing or unreadable: the provider retries later
        log.error("payments channel %s cannot start: %s", channel, exc)
        return JsonResponse({"code": "FAIL", "message": "channel not ready"}, status=503)
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > MAX_NOTICE_BYTES:
        return _reply(handler, False)
    body = request.body
    headers = dict(request.headers.items())
    try:
        event = handler.parse_notice(headers, body)
    except base.NoticeRejected as exc:
        log.warning("payments notice refused on %s: %s", channel, exc)
        return _reply(handler, False)
    except base.ChannelError as exc:  # keys unreadable when first needed (UnionPay loads them lazily)
        log.error("payments channel %s cannot verify: %s", channel, exc)
        return JsonResponse({"code": "FAIL", "message": "channel not ready"}, status=503)
    if event.provider != channel:
        log.warning("payments notice on %s claims provider %s", channel, event.provider)
        return _reply(handler, False)
    try:
        outcome = process_event(event)
    except Exception:
        log.exception("payments notice %s:%s could not be applied", channel, event.event_id)
        return _reply(handler, False)
    log.info("payments notice %s:%s -> %s", channel, event.event_id, outcome)
    return _reply(handler, True)
