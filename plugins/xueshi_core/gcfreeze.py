"""Move a warmed-up process's heap out of the cyclic garbage collector's way (``gc.freeze``).

An LMS process holds a few hundred thousand long-lived objects (modules, classes, settings, URL
resolvers, XBlock classes). CPython's oldest-generation collection walks all of them: measured
at ~160 ms on the benchmark server, during which every thread of the process stands still. Those
pauses were the p99 of the study-time heartbeat (issue 7, ADR 0008). Freezing moves every object
alive at that moment to a permanent generation the collector skips; reference counting still frees
them, and new objects are collected as before.

The freeze happens at the process's 1st request (the application is loaded) and again at a later
one (lazy imports and caches are warm): ``XUESHI_GC_FREEZE_AT_REQUESTS``, a list of request
numbers; an empty list turns it off (the test layer does, so test objects are never frozen).
"""

from __future__ import annotations

import gc
import threading
from typing import Any

from django.conf import settings

DEFAULT_AT_REQUESTS = (1, 1000)
_lock = threading.Lock()
_state = {"seen": 0, "pending": None}


def _pending() -> list[int]:
    if _state["pending"] is None:
        at = getattr(settings, "XUESHI_GC_FREEZE_AT_REQUESTS", DEFAULT_AT_REQUESTS)
        _state["pending"] = sorted({int(n) for n in at or () if int(n) > 0})
    return _state["pending"]  # type: ignore[return-value]


def on_request_started(sender: Any = None, **kwargs: Any) -> None:
    """``request_started`` receiver: freeze when this process reaches a configured request number."""
    pending = _pending()
    if not pending:
        return
    with _lock:
        _state["seen"] += 1
        if pending and _state["seen"] >= pending[0]:
            pending.pop(0)
            gc.freeze()


def frozen_objects() -> int:
    """Objects in the permanent generation (the status page and tests read it)."""
    return gc.get_freeze_count()
