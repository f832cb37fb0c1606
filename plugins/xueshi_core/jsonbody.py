"""The one guarded JSON reader every Xueshi entry point parses request bodies with.

``json.loads`` alone lets hostile bodies through to a 500 or to the database: nesting a few
thousand levels deep raises ``RecursionError``, ``1e400`` becomes ``inf``, a 5,000-digit integer
raises an un-caught ``ValueError`` deep in a view (or overflows a column), ``NaN`` is accepted, a
lone-surrogate escape (``u+D800``) makes a string MariaDB cannot store, and a list body breaks ``data.get``.
This reader refuses all of those with one exception, :class:`BadInput`, whose ``status``,
``code`` and ``reason`` every view turns into a 4xx (ADR 0020).

Cost matters (the heartbeat is the busiest request): the checks that need a walk of the decoded
value run only when a cheap byte count says the body could be hostile.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

DEFAULT_MAX_BYTES = 16 * 1024
MAX_DEPTH = 32
MAX_INT_DIGITS = 19  # the largest BIGINT has 19 digits; nothing we store is wider
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


class BadInput(ValueError):
    """Refused input: an HTTP 4xx with a stable machine ``code`` and a human ``reason``."""

    def __init__(self, code: str, reason: str, status: int = 400) -> None:
        super().__init__(reason)
        self.code, self.reason, self.status = code, reason, status


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise BadInput("number_too_large", f"integers have at most {MAX_INT_DIGITS} digits")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise BadInput("number_too_large", "numbers must be finite")
    return value


def _constant(name: str) -> None:
    raise BadInput("not_a_number", f"{name} is not allowed")


def _depth(value: Any) -> int:
    """Nesting depth of a decoded value, without recursion (a deep value must not overflow us)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in item if isinstance(child, (dict, list)))
    return deepest


def _has_lone_surrogate(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
    return False


def loads(raw: bytes | str, *, max_bytes: int = DEFAULT_MAX_BYTES, max_depth: int = MAX_DEPTH) -> Any:
    """Decode any JSON value under the guards; raise :class:`BadInput` on anything refused."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else bytes(raw)
    if len(data) > max_bytes:
        raise BadInput("body_too_large", f"body over {max_bytes} bytes", status=413)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadInput("invalid_utf8", "body is not valid UTF-8") from exc
    if not text.strip():
        raise BadInput("malformed", "body is empty")
    try:
        value = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except RecursionError as exc:
        raise BadInput("too_deep", f"JSON nested over {max_depth} levels") from exc
    except BadInput:
        raise
    except ValueError as exc:
        raise BadInput("malformed", "body is not valid JSON") from exc
    if data.count(b"[") + data.count(b"{") > max_depth and _depth(value) > max_depth:
        raise BadInput("too_deep", f"JSON nested over {max_depth} levels")
    if _SURROGATE_ESCAPE.search(data) and _has_lone_surrogate(value):
        raise BadInput("invalid_unicode", "text holds an unpaired surrogate")
    return value


def loads_object(
    raw: bytes | str, *, max_bytes: int = DEFAULT_MAX_BYTES, empty_ok: bool = False
) -> dict[str, Any]:
    """Decode a body that must be one JSON object (``empty_ok``: an empty body reads as ``{}``)."""
    if empty_ok and not (raw.strip() if isinstance(raw, (bytes, str)) else raw):
        return {}
    value = loads(raw, max_bytes=max_bytes)
    if not isinstance(value, dict):
        raise BadInput("malformed", "body is not a JSON object")
    return value


def read_stream(stream: Any, *, max_bytes: int = DEFAULT_MAX_BYTES, empty_ok: bool = False) -> dict[str, Any]:
    """Read at most ``max_bytes + 1`` bytes of a request stream and decode them as an object."""
    body = stream.read(max_bytes + 1)
    return loads_object(body, max_bytes=max_bytes, empty_ok=empty_ok)


def error_body(exc: BadInput) -> dict[str, str]:
    """The JSON error shape shared by every plain view: ``{"error": code, "detail": reason}``."""
    return {"error": exc.code, "detail": exc.reason}
