"""The on-air intervals of live lessons, as the heartbeat path reads them (ADR 0351).

The live app (``xueshi_livestream``) records when a stream was on air from its provider's signed
callbacks and hands the intervals to the ledger through ``api.set_on_air``; a live beat reads
them with one GET (only live sessions do). Epoch seconds; an interval still on air has no end.
The key is per block, outside any learner's hash tag: every learner of the lesson reads it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable

from . import conf, hotstate

TTL = 14 * 24 * 3600  # the live app writes them again whenever a session opens or a callback comes


def key(usage_hex: str) -> str:
    """Redis key of one block's on-air intervals."""
    return f"{conf.key_prefix()}:air:{usage_hex}"


def clean(intervals: Iterable[tuple[float, float | None]]) -> list[list[float | None]]:
    """Validated ``[[start, end or None], ...]``; raises ValueError on anything else."""
    out: list[list[float | None]] = []
    for start, end in intervals:
        if not (isinstance(start, int | float) and math.isfinite(start) and start > 0):
            raise ValueError("an on-air interval starts at epoch seconds")
        if end is not None and not (isinstance(end, int | float) and math.isfinite(end) and end >= start):
            raise ValueError("an on-air interval ends after it starts, or is open (None)")
        out.append([float(start), None if end is None else float(end)])
    return out


def write(usage_hex: str, intervals: Iterable[tuple[float, float | None]]) -> None:
    """Replace the block's on-air intervals."""
    hotstate.client().set(key(usage_hex), json.dumps(clean(intervals)), ex=TTL)


def read(usage_hex: str) -> list[tuple[float, float | None]]:
    """The block's on-air intervals (empty when none were reported: nothing is credited then)."""
    raw = hotstate.client().get(key(usage_hex))
    try:
        return [(float(s), None if e is None else float(e)) for s, e in json.loads(raw or "[]")]
    except (TypeError, ValueError):
        return []
