"""Fixed-window counters in Redis for the public look-ups (one client from ``xueshi_core``'s factory).

Look-ups by name and ID number are counted per client IP and per ID number (hashed: no ID
numbers in Redis), so neither one address trying many people nor many addresses trying one person
gets far. A Redis outage closes the look-up (503) rather than leaving it unthrottled: it is the
one public door to personal facts (ADR 0125).
"""

from __future__ import annotations

import hashlib
from typing import Any

from xueshi_core import redisclients

from . import conf

RedisError = redisclients.RedisError


def _client() -> Any:
    return redisclients.client(conf.redis_url(), setting="XUESHI_CERTIFICATES_REDIS_URL")


def subject_of(text: str) -> str:
    """A short hash naming a subject (an ID number) in key names."""
    return hashlib.sha256(text.strip().upper().encode("utf-8")).hexdigest()[:24]


def hit(bucket: str, subject: str, limit: int) -> bool:
    """Count one attempt; ``True`` while the count is within ``limit`` for the current window."""
    if limit <= 0:
        return True
    key = f"xueshi:cert:{bucket}:{subject}"
    pipe = _client().pipeline()
    pipe.incr(key)
    pipe.expire(key, conf.lookup_window_seconds(), nx=True)
    count = int(pipe.execute()[0])
    return count <= limit
