"""The two hot endpoints, heartbeats and challenge answers, as plain Django views (ADR 0703).

A heartbeat is the request Xueshi serves most (~3,400 a second at 100,000 learners), and DRF's
request wrapping, authentication loop and renderer cost about as much as the ledger's own work.
These views do what the DRF classes in ``views.py`` describe, with the same inputs, outputs and
errors: those classes stay as the OpenAPI description (``documented_as``) and as a DRF entry point,
and both paths share every function here, so they cannot drift apart.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from xueshi_studytime import challenges, conf
from xueshi_studytime.heartbeat import (
    BeatResult,
    HeartbeatRejected,
    answer_challenge,
    heartbeat,
    parse_json,
    validate,
)
from xueshi_studytime.messages import reason_message

JSON = "application/json"


def json_response(payload: dict[str, Any], status: int = 200) -> HttpResponse:
    """Compact UTF-8 JSON, as DRF's ``JSONRenderer`` writes it."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return HttpResponse(body.encode(), status=status, content_type=JSON)


def rejection(exc: HeartbeatRejected | challenges.ChallengeRefused) -> HttpResponse:
    """A 4xx in the ledger's error shape ``{"error", "detail"}`` (plus a replacement challenge, if any)."""
    body: dict[str, Any] = {"error": exc.reason_code, "detail": str(exc)}
    if isinstance(exc, challenges.ChallengeRefused) and exc.challenge:
        body["challenge"] = exc.challenge
    return json_response(body, exc.status)


def read_json(request: HttpRequest) -> dict[str, Any]:
    """The JSON object body, refusing an oversized one before reading it."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > conf.max_body_bytes():
        raise HeartbeatRejected(400, "body_too_large", f"body over {conf.max_body_bytes()} bytes")
    return parse_json(request.body)


def _jwt_user_id(request: HttpRequest) -> int | None:
    """Verify an ``Authorization: JWT …`` header exactly as edx-drf-extensions does for DRF views."""
    from edx_rest_framework_extensions.auth.jwt.authentication import JwtAuthentication
    from rest_framework.exceptions import APIException
    from rest_framework.request import Request

    try:
        found = JwtAuthentication().authenticate(Request(request))
    except APIException as exc:
        code = exc.get_codes()
        reason = code if isinstance(code, str) else "authentication_failed"
        raise HeartbeatRejected(401, reason, str(exc.detail)) from exc
    return int(found[0].id) if found else None


def caller_id(request: HttpRequest) -> int | None:
    """Whom the request claims to be, for the token cross-check; ``None`` when anonymous.

    A JWT header wins (the mobile apps); otherwise the signed-in session's user id, read from the
    session itself without loading the user row (ADR 0702). The body's token is the credential.
    """
    if request.META.get("HTTP_AUTHORIZATION", "").startswith("JWT "):
        found = _jwt_user_id(request)
        if found is not None:
            return found
    return session_user_id(request)


def session_user_id(request: HttpRequest) -> int | None:
    """The signed-in session's user id, without loading the user row; ``None`` without one."""
    session = getattr(request, "session", None)
    raw = session.get(SESSION_KEY) if session is not None else None
    try:
        return int(raw) if raw is not None else None
    except (TypeError, ValueError):
        return None


def heartbeat_payload(result: BeatResult) -> dict[str, Any]:
    """The reply to one heartbeat (``HeartbeatResponseSerializer`` documents it)."""
    challenge = challenges.describe(result.challenge_id) if result.challenge_id else None
    return {
        "accepted": result.accepted,
        "credited": result.credited,
        "reason": result.reason,
        "frontier": result.frontier,
        "position": result.position,
        "coverage": result.coverage,
        "watched_seconds": result.watched_seconds,
        "credited_today_seconds": result.credited_today_seconds,
        "completed": result.completed,
        "lease": result.lease,
        "stop": result.stop,
        "message": reason_message(result.reason),
        "challenge": challenge,
        "holds": list(result.holds),
        "checkpoint": result.checkpoint,
        "server_time": result.server_time,
    }


def process_heartbeat(request: HttpRequest) -> dict[str, Any]:
    """Credit (or refuse) the request's heartbeat; raise ``HeartbeatRejected`` for bad input."""
    beat = validate(read_json(request))
    return heartbeat_payload(heartbeat(beat, caller_id(request)))


def process_answer(request: HttpRequest) -> dict[str, Any]:
    """Clear the pending anti-idle challenge named in the body, given the code its image shows."""
    data = read_json(request)
    answer_challenge(
        str(data.get("token") or ""), data.get("challenge_id"), caller_id(request), data.get("code")
    )
    return {"answered": True}


def documented_as(view_class: type) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Let drf-spectacular describe a plain view as ``view_class`` (it reads ``callback.cls``)."""

    def mark(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        view.cls = view_class  # type: ignore[attr-defined]
        view.initkwargs = {}  # type: ignore[attr-defined]
        return view

    return mark


def post_only(process: Callable[[HttpRequest], dict[str, Any]]) -> Callable[[HttpRequest], HttpResponse]:
    """A CSRF-exempt JSON POST endpoint around ``process`` (the body's token is the credential)."""

    @csrf_exempt
    def view(request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            response = json_response(
                {"error": "method_not_allowed", "detail": f'Method "{request.method}" not allowed.'}, 405
            )
            response["Allow"] = "POST, OPTIONS"
            return response
        try:
            return json_response(process(request))
        except (HeartbeatRejected, challenges.ChallengeRefused) as exc:
            return rejection(exc)

    view.__doc__ = process.__doc__
    return view


heartbeats = post_only(process_heartbeat)
challenge_answers = post_only(process_answer)


def challenge_image(request: HttpRequest, challenge_id: str) -> HttpResponse:
    """``GET v1/challenges/<id>/image``: the code of a challenge, drawn for a person to read.

    Stateless (the code is derived from the id), so it costs no Redis read; ids of another shape
    are 404, and the picture is never cached. An old id still draws (a learner back from a break
    sees a picture, not a broken image; answering it late brings a new code).
    """
    from xueshi_studytime.challenge_image import render_png

    if request.method not in ("GET", "HEAD"):
        return json_response({"error": "method_not_allowed", "detail": "GET only"}, 405)
    if not challenges.issued_at(challenge_id):
        return json_response({"error": "challenge_unknown", "detail": "no such challenge"}, 404)
    response = HttpResponse(render_png(challenges.code_for(challenge_id)), content_type="image/png")
    response["Cache-Control"] = "no-store"
    return response
