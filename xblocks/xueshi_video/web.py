"""HTTP helpers for the block's JSON handlers: bounded bodies, clear 4xx errors, never a 500.

XBlock's own ``json_handler`` passes only the decoded body (the ledger also needs the user
agent and address), lets a non-object body reach the handler, and has no size limit; this
decorator closes those gaps and gives every refusal a stable ``error`` code plus a message.
Bodies are decoded by ``xueshi_core.jsonbody``, the one guarded reader (depth, huge numbers,
NaN, invalid UTF-8: ADR 0020).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from webob import Response
from xblock.core import XBlock

from xueshi_core.jsonbody import BadInput, read_stream

MAX_BODY_BYTES = 16 * 1024
MAX_STUDIO_BYTES = 512 * 1024


class HandlerError(Exception):
    """A refusal with an HTTP status, a stable machine code and a human message."""

    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra


def json_response(payload: Any, status: int = 200) -> Response:
    """Serialise ``payload`` as a UTF-8 JSON response that is never cached (it is per-learner)."""
    response = Response(
        json.dumps(payload, ensure_ascii=False),
        status=status,
        content_type="application/json",
        charset="utf-8",
    )
    response.cache_control = "no-store"
    return response


def json_error(status: int, code: str, message: str, **extra: Any) -> Response:
    """An error body shaped ``{"error": code, "message": text, ...}``."""
    return json_response({"error": code, "message": message, **extra}, status=status)


def json_api(
    func: Callable[[Any, dict[str, Any], Any], Any] | None = None, *, max_bytes: int = MAX_BODY_BYTES
) -> Any:
    """Turn ``func(self, data, request)`` into a POST-only JSON handler with bounded input.

    ``@json_api`` allows ``MAX_BODY_BYTES``; ``@json_api(max_bytes=...)`` another bound (the Studio
    editor posts whole checkpoint lists).
    """
    if func is None:
        return functools.partial(json_api, max_bytes=max_bytes)

    @XBlock.handler
    @functools.wraps(func)
    def wrapper(self: Any, request: Any, suffix: str = "") -> Response:
        if request.method != "POST":
            response = json_error(405, "method_not_allowed", "POST only")
            response.allow = ["POST"]
            return response
        try:
            data = read_stream(request.body_file, max_bytes=max_bytes, empty_ok=True)
        except BadInput as exc:
            code = exc.code if exc.status == 413 else "invalid_json"
            return json_error(exc.status, code, exc.reason, reason=exc.code)
        try:
            result = func(self, data, request)
        except HandlerError as exc:
            return json_error(exc.status, exc.code, exc.message, **exc.extra)
        return result if isinstance(result, Response) else json_response(result)

    return wrapper


def query_text(request: Any, name: str, max_length: int = 64) -> str:
    """One query-string value of a webob request; invalid UTF-8 or an over-long value is a 400.

    webob decodes the whole query string strictly on first access, so ``%FF`` anywhere would
    otherwise raise ``UnicodeDecodeError`` (a 500) inside the handler.
    """
    try:
        value = str(request.GET.get(name) or "")
    except UnicodeDecodeError as exc:
        raise HandlerError(400, "invalid_query", "the query string is not UTF-8") from exc
    if len(value) > max_length:
        raise HandlerError(400, "invalid_query", f"{name} is longer than {max_length} characters")
    return value


def client_address(request: Any) -> str:
    """The learner's address, read the one Xueshi way (``xueshi_core.clientip``, trusted proxies only)."""
    from xueshi_core.clientip import request_ip

    return (request_ip(request) or "")[:45]
