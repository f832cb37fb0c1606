"""Opening a playback session for a native app: the block's own handler, run for the app.

The browser opens a session through the ``xueshi_video`` block's ``open_session`` handler, which
checks the video, sets the learner's checkpoint barriers and calls ``api.open_session``. An app
must get exactly that (one crediting path, the same refusals and messages), so this module does
not open sessions itself: it loads the block as the platform's handler view does
(``compat.load_learner_block``: enrollment and access), runs the handler on a request from the
same client, and adds the absolute URLs an app needs (ADR 0033). The ledger knows the block only
by its type name and handler names, never by import.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from webob import Request as WebobRequest

from . import compat

VIDEO_BLOCK_TYPE = "xueshi_video"
#: Blocks an app opens sessions in: videos, and live lessons (their ``open_session`` opens the live
#: session while the lesson is on, the recording's afterwards; ADR 0357).
BLOCK_TYPES = (VIDEO_BLOCK_TYPE, "xueshi_live")
OPEN_HANDLER = "open_session"
#: A live session's attendance (``"live": true`` in the grant) is read from this handler instead.
LIVE_PROGRESS_HANDLER = "live_progress"
#: URLs of the block's handlers the app may call (with its JWT, as the LMS's handler view accepts).
BLOCK_URLS = {
    "h5_url": "h5",
    "progress_url": "sync_progress",
    "checkpoint_question_url": "checkpoint_question",
    "checkpoint_answer_url": "answer_checkpoint",
}
#: What the handler sees of the app's request: its address (for the session row and the audit)
#: and the headers the ledger and translations read.
_COPIED = (
    "REMOTE_ADDR",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_USER_AGENT",
    "HTTP_ACCEPT_LANGUAGE",
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "wsgi.url_scheme",
)


@dataclass(frozen=True)
class Opened:
    """The handler's answer as the REST view returns it: a status, a JSON body, extra headers."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


def handler_request(request: HttpRequest, body: dict[str, Any]) -> WebobRequest:
    """A JSON POST carrying ``body`` from the same client (address, agent, language) as ``request``."""
    environ = {key: str(request.META[key]) for key in _COPIED if key in request.META}
    raw = json.dumps(body).encode("utf-8")
    return WebobRequest.blank(request.path, environ, method="POST", body=raw, content_type="application/json")


def open_for_app(request: HttpRequest, user: Any, usage_key: Any) -> Opened:
    """Open ``user``'s session in the video ``usage_key`` through the block's handler.

    Raises:
        compat.BlockNotFound: no such block in the course.
        compat.BlockAccessDenied: the learner is not enrolled or may not load the block.
    """
    block = compat.load_learner_block(request, user, usage_key)
    reply = block.runtime.handle(block, OPEN_HANDLER, handler_request(request, {"client": "app"}))
    body = json.loads(reply.body or b"{}")
    if reply.status_code != 200:
        return refusal(reply.status_code, body, reply.headers.get("Retry-After"))
    urls = {**BLOCK_URLS, "progress_url": LIVE_PROGRESS_HANDLER} if body.get("live") else BLOCK_URLS
    for name, handler in urls.items():
        body[name] = request.build_absolute_uri(block.runtime.handler_url(block, handler))
    for name in ("heartbeat_url", "challenge_url"):
        body[name] = request.build_absolute_uri(body[name])
    body["video"] = absolute_media(request, body["video"])
    body["challenge_interval_seconds"] = body["rules"]["anti_idle_seconds"]
    return Opened(200, body)


def absolute_media(request: HttpRequest, video: dict[str, Any]) -> dict[str, Any]:
    """The video's URLs made absolute: an app has no page URL to resolve ``/media/…`` against."""
    absolute = request.build_absolute_uri
    return {
        **video,
        "sources": [{**source, "url": absolute(source["url"])} for source in video["sources"]],
        "encoded_videos": {
            profile: {**item, "url": absolute(item["url"])}
            for profile, item in video["encoded_videos"].items()
        },
        "transcripts": {lang: absolute(url) for lang, url in video["transcripts"].items()},
    }


def refusal(status: int, body: dict[str, Any], retry_after: str | None) -> Opened:
    """The handler's refusal ``{"error", "message", …}`` in the REST API's ``{"error", "detail"}`` shape.

    The translated ``message`` is kept too (the app shows it); a 429 keeps its ``Retry-After``.
    """
    text = str(body.get("message") or body.get("error") or "")
    shaped = {**body, "error": str(body.get("error") or "refused"), "detail": text, "message": text}
    headers = {"Retry-After": retry_after} if retry_after else {}
    return Opened(status, shaped, headers)
