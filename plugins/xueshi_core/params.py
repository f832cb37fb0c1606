"""Validators for path and query parameters, run before any query touches the database.

An over-long course key reaches MariaDB as a 1406 "data too long" error (a 500), a paging value of
``10**30`` overflows ``OFFSET``, ``page=abc`` raises ``ValueError`` in a view. Each validator here
parses one kind of parameter and raises :class:`~xueshi_core.jsonbody.BadInput` (a 400 with a code
and reason) instead, so views state their parameters once and never see a malformed one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey, UsageKey

from .jsonbody import MAX_INT_DIGITS, BadInput

MAX_KEY_LENGTH = 255  # course_key and usage_key columns are 255 characters wide
MAX_TEXT_LENGTH = 200
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)  # day arithmetic stays far from date.min/max


def _plain_text(raw: Any, name: str, max_length: int) -> str:
    text = "" if raw is None else str(raw)
    if len(text) > max_length:
        raise BadInput(f"invalid_{name}", f"{name} is longer than {max_length} characters")
    if "\x00" in text or "\ufffd" in text:
        raise BadInput(f"invalid_{name}", f"{name} holds characters that are not text")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise BadInput(f"invalid_{name}", f"{name} is not valid Unicode") from exc
    return text


def _opaque_key(parse: Any, raw: Any, name: str, kind: str) -> Any:
    text = _plain_text(raw, name, MAX_KEY_LENGTH)
    try:
        return parse(text)
    except InvalidKeyError as exc:
        raise BadInput(f"invalid_{name}", f"{name} is not a {kind} key") from exc


def course_key(raw: Any, name: str = "course_id") -> CourseKey:
    """Parse a course key (``course-v1:Org+Course+Run``) that fits our columns."""
    key: CourseKey = _opaque_key(CourseKey.from_string, raw, name, "course")
    return key


def usage_key(raw: Any, name: str = "usage_key") -> UsageKey:
    """Parse a block usage key (``block-v1:...``) that fits our columns."""
    key: UsageKey = _opaque_key(UsageKey.from_string, raw, name, "usage")
    return key


def bounded_int(raw: Any, name: str, *, low: int = 0, high: int = 2**31 - 1) -> int:
    """An integer in ``[low, high]`` from text (a query value) or a JSON number; bools refused."""
    if isinstance(raw, bool) or raw is None:
        raise BadInput(f"invalid_{name}", f"{name} must be an integer")
    text = str(raw).strip()
    digits = text.lstrip("+-")
    if not digits.isascii() or not digits.isdigit() or len(digits) > MAX_INT_DIGITS:
        raise BadInput(f"invalid_{name}", f"{name} must be an integer")
    value = int(text)
    if not low <= value <= high:
        raise BadInput(f"invalid_{name}", f"{name} must be between {low} and {high}")
    return value


def query_int(
    query: Mapping[str, Any], name: str, default: int, *, low: int = 0, high: int = 2**31 - 1
) -> int:
    """``bounded_int`` of an optional query parameter (absent or empty: ``default``)."""
    raw = query.get(name)
    return default if raw in (None, "") else bounded_int(raw, name, low=low, high=high)


def query_text(query: Mapping[str, Any], name: str, *, max_length: int = MAX_TEXT_LENGTH) -> str:
    """An optional free-text query parameter (a search box), bounded and real text."""
    return _plain_text(query.get(name, ""), name, max_length).strip()


def day(raw: Any, name: str = "date") -> date:
    """A ``YYYY-MM-DD`` day in 2000–2099 (the ledger's week and month bounds never overflow)."""
    text = _plain_text(raw, name, 10)
    try:
        value = date.fromisoformat(text)
    except ValueError as exc:
        raise BadInput(f"invalid_{name}", f"{name} must be YYYY-MM-DD") from exc
    if not FIRST_DAY <= value <= LAST_DAY:
        raise BadInput(f"invalid_{name}", f"{name} must be between {FIRST_DAY} and {LAST_DAY}")
    return value


def content_length(meta: Mapping[str, Any]) -> int:
    """The request's declared ``Content-Length`` (absent: 0); garbage or a negative value is a 400."""
    return bounded_int(meta.get("CONTENT_LENGTH") or 0, "content_length", high=2**62)
