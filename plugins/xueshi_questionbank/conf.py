"""Settings of the question bank, read at access time (so operators' and tests' values win)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.utils.module_loading import import_string


def _get(name: str, default: Any) -> Any:
    return getattr(settings, f"XUESHI_QUESTIONBANK_{name}", default)


def max_import_bytes() -> int:
    """Largest import file accepted (bytes)."""
    return int(_get("MAX_IMPORT_BYTES", 5 * 1024 * 1024))


def max_import_rows() -> int:
    """Most question rows one import may hold."""
    return int(_get("MAX_IMPORT_ROWS", 5000))


def max_unpacked_bytes() -> int:
    """Largest total of an xlsx file's unpacked parts (a zip bomb is refused before parsing)."""
    return int(_get("MAX_UNPACKED_BYTES", 50 * 1024 * 1024))


def max_draw() -> int:
    """Most questions one draw may return."""
    return int(_get("MAX_DRAW", 200))


def clock() -> Callable[[], float]:
    """The server clock (epoch seconds); tests name a controllable one through the setting."""
    value = _get("CLOCK", None)
    if value is None:
        return time.time
    if isinstance(value, str):
        return cast(Callable[[], float], import_string(value))
    return cast(Callable[[], float], value)


def now() -> float:
    """Server time now, epoch seconds."""
    return float(clock()())
