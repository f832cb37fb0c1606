"""Settings of the study-time ledger, read at access time.

``override_settings`` and late plugin settings then work (plugin apps are imported before
settings are final, house style §3.4).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import lru_cache
from typing import Any, cast

from django.conf import settings
from django.utils.module_loading import import_string

from .tokens import derive_key

LEASE_TAKEOVER, LEASE_REFUSE = "takeover", "refuse"


def _get(name: str, default: Any) -> Any:
    return getattr(settings, f"XUESHI_STUDYTIME_{name}", default)


def heartbeat_seconds() -> int:
    """Default heartbeat interval a policy gets when the block does not set one."""
    return int(_get("HEARTBEAT_SECONDS", 30))


def anti_idle_seconds() -> int:
    """Default credited seconds between "still there?" challenges (0 = off)."""
    return int(_get("ANTI_IDLE_SECONDS", 900))


def lease_policy() -> str:
    """``takeover`` (a new playback stops the old one) or ``refuse`` (the new one is refused).

    Unset (``None``), it follows the one-device rule of ``xueshi_access``
    (``XUESHI_ACCESS_CONCURRENT_LOGIN``), so PC and phone never study at once under either rule.
    """
    device_rule = getattr(settings, "XUESHI_ACCESS_CONCURRENT_LOGIN", None)
    policy = str(_get("LEASE_POLICY", None) or device_rule or "")
    return policy if policy in (LEASE_TAKEOVER, LEASE_REFUSE) else LEASE_TAKEOVER


def token_keys() -> list[bytes]:
    """Signing keys, newest first; without any, one derived from SECRET_KEY."""
    keys = [k.encode("utf-8") if isinstance(k, str) else bytes(k) for k in _get("TOKEN_KEYS", []) or []]
    return keys or [derive_key(str(settings.SECRET_KEY))]


def token_ttl_seconds() -> int:
    """Lifetime of a session token (a learner reopens the video to get a new one)."""
    return int(_get("TOKEN_TTL_SECONDS", 8 * 3600))


def redis_url() -> str:
    """Redis for hot state; empty means an in-process fake (dev only)."""
    return str(_get("REDIS_URL", "") or "")


def key_prefix() -> str:
    """Prefix of every Redis key, so several sites (or test runs) can share one Redis."""
    return str(_get("REDIS_PREFIX", "xst"))


def shards() -> int:
    """Number of ledger streams; a user's keys and stream share one Redis Cluster hash slot."""
    return max(1, int(_get("SHARDS", 1)))


def flush_inline() -> bool:
    """Flush the ledger right after each heartbeat (sandbox without a Celery broker)."""
    return bool(_get("FLUSH_INLINE", False))


def flush_batch_size() -> int:
    """Stream entries written to MariaDB per transaction."""
    return int(_get("FLUSH_BATCH_SIZE", 500))


def flush_claim_idle_ms() -> int:
    """Pending entries idle this long belong to a dead flusher and are reclaimed."""
    return int(_get("FLUSH_CLAIM_IDLE_MS", 60_000))


def jitter_seconds() -> float:
    """Jitter bank: the most a session may ever be credited beyond server time x rate."""
    return float(_get("JITTER_SECONDS", 1.0))


def open_burst() -> int:
    """Sessions a learner may open at once before the throttle applies (0 turns it off).

    A page load, a resume and a reload each open one; ten covers a learner clicking through a
    few lessons and reloading, and a script gains nothing from more (the per-learner budget).
    """
    return int(_get("OPEN_BURST", 10))


def open_refill_seconds() -> float:
    """After the burst, one more session may be opened every this many seconds."""
    return float(_get("OPEN_REFILL_SECONDS", 6))


def max_body_bytes() -> int:
    """Largest heartbeat body accepted."""
    return int(_get("MAX_BODY_BYTES", 4096))


def clock() -> Callable[[], float]:
    """The server clock (epoch seconds): ``time.time`` unless a setting names another.

    ``XUESHI_STUDYTIME_CLOCK`` may be a callable or a dotted path. Tests select a controllable
    clock through settings instead of sleeping; production never sets it.
    """
    value = _get("CLOCK", None)
    if value is None:
        return time.time
    if isinstance(value, str):
        return _imported_clock(value)
    return cast(Callable[[], float], value)


@lru_cache(maxsize=8)
def _imported_clock(path: str) -> Callable[[], float]:
    """Import a clock named by a dotted path once (``now()`` runs several times per heartbeat)."""
    return cast(Callable[[], float], import_string(path))


def now() -> float:
    """Server time now, epoch seconds."""
    return float(clock()())


def time_zone() -> str:
    """Zone of study days (xueshi_core's setting)."""
    return str(getattr(settings, "XUESHI_TIME_ZONE", "Asia/Shanghai"))


def challenge_seconds() -> int:
    """How long a "still there?" code may take to answer; later answers get a new code."""
    return int(_get("CHALLENGE_SECONDS", 120))


def challenge_attempts() -> int:
    """Wrong codes allowed per challenge before it is replaced."""
    return max(1, int(_get("CHALLENGE_ATTEMPTS", 3)))


def challenge_rotations() -> int:
    """Replacements (late or failed challenges) per session before it stays stopped."""
    return max(0, int(_get("CHALLENGE_ROTATIONS", 5)))
