"""Per-process memory of learners known to hold a complete real-name profile, for a few seconds.

The gate asks on every study request (every heartbeat: ~3,400 a second at 100,000 learners).
A complete profile rarely becomes incomplete, so a "yes" is remembered for
``XUESHI_IDENTITY_GATE_CACHE_SECONDS`` (30 by default; 0 turns this off); a "no" is never
remembered, so a learner who has just completed the profile may study at once. Saving or deleting
a profile forgets its user in this process at once; other processes notice within the TTL. That
delay is the only cost (ADR 0505).
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings

MAX_ENTRIES = 200_000  # ~20 MB worst case per process; cleared wholesale when full
clock = time.monotonic  # a module attribute, so tests can move this cache's time alone
_known_until: dict[int, float] = {}


def ttl_seconds() -> float:
    """How long a "yes" is trusted in this process (``XUESHI_IDENTITY_GATE_CACHE_SECONDS``)."""
    return float(getattr(settings, "XUESHI_IDENTITY_GATE_CACHE_SECONDS", 30))


def known_complete(user_id: int) -> bool:
    """Whether this process saw a complete profile for ``user_id`` within the TTL."""
    return _known_until.get(user_id, 0.0) > clock()


def remember_complete(user_id: int) -> None:
    """Trust a complete profile of ``user_id`` for the TTL (no-op when the TTL is 0)."""
    ttl = ttl_seconds()
    if ttl <= 0:
        return
    if len(_known_until) >= MAX_ENTRIES:
        _known_until.clear()
    _known_until[user_id] = clock() + ttl


def forget(user_id: int) -> None:
    """Stop trusting ``user_id`` (its profile changed or went away)."""
    _known_until.pop(user_id, None)


def on_profile_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """``post_save`` / ``post_delete`` receiver of ``IdentityProfile``."""
    forget(int(instance.user_id))
