"""The proof of fetch: which segments each playback session was served, in order (ADR 0262).

A Redis list per session (``<at>|<path>|<span>``), kept ``FETCH_LOG_TTL_SECONDS``. The ledger's
own delivery record (``xueshi_studytime.delivery``) is what crediting reads; this log is the
per-request trail an auditor or a report reads through ``api.fetched_segments``.
"""

from __future__ import annotations

from typing import Any

from xueshi_core import redisclients

from . import conf

MAX_ENTRIES = 20000  # a 10-hour video at 2-second segments, with re-fetches


def _client() -> Any:
    return redisclients.client(conf.redis_url(), setting="XUESHI_MEDIA_REDIS_URL")


def key(session_id: str) -> str:
    """The session's list."""
    return f"xueshi:media:fetch:{session_id}"


def append(session_id: str, at: float, path: str, span: tuple[float, float] | None) -> None:
    """Log one served segment or playlist (a pipeline: push, trim, expire)."""
    text = f"{at:.3f}|{path}|{span[0]:.3f}-{span[1]:.3f}" if span else f"{at:.3f}|{path}|"
    pipe = _client().pipeline(transaction=False)
    pipe.rpush(key(session_id), text)
    pipe.ltrim(key(session_id), -MAX_ENTRIES, -1)
    pipe.expire(key(session_id), conf.fetch_log_ttl_seconds())
    pipe.execute()


def read(session_id: str) -> list[tuple[float, str, tuple[float, float] | None]]:
    """The session's log, oldest first."""
    entries = []
    for raw in _client().lrange(key(session_id), 0, -1):
        at, path, span = raw.split("|", 2)
        lo, _, hi = span.partition("-")
        entries.append((float(at), path, (float(lo), float(hi)) if span else None))
    return entries
