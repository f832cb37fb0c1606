"""Checkpoint barriers in Redis: what ``api.set_barriers`` / ``pass_barrier`` / ``rewind_barrier`` do.

One small JSON document per (learner, block), under the learner's hash tag so the heartbeat's
``COMMIT`` script can compare-and-set it together with the session. Every change here is a
compare-and-set too (``CAS_LUA``): a heartbeat that read the document before an answer passed a
barrier fails its commit, re-reads and is judged again, so an answer and a beat never overwrite
each other. The block's own state (which checkpoints a learner passed) is the durable record; this
document is rebuilt from it whenever a session opens.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from opaque_keys.edx.keys import UsageKey

from . import hotstate
from .barriers import Barriers, passed, rewound, with_times
from .data import BarrierState

BARRIER_TTL = 30 * 86400
CAS_LUA = """
local current = redis.call('GET', KEYS[1]) or ''
if current ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1])
else redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3]) end
return 1
"""


def barriers_from(raw: str | None) -> Barriers:
    """Barriers from their JSON document (none when the key is missing)."""
    if not raw:
        return Barriers()
    doc = json.loads(raw)
    return Barriers(
        tuple(float(t) for t in doc.get("t", ())),
        None if doc.get("d") is None else float(doc["d"]),
        None if doc.get("rf") is None else float(doc["rf"]),
        float(doc.get("rt", 0.0)),
    )


def barriers_json(barriers: Barriers) -> str:
    """The JSON document; empty when there is nothing left to hold (the key is then deleted)."""
    if not barriers.times:
        return ""
    doc = {
        "t": list(barriers.times),
        "d": barriers.due,
        "rf": barriers.rewatch_from,
        "rt": barriers.rewatched_to,
    }
    return json.dumps(doc, separators=(",", ":"))


def state_of(barriers: Barriers) -> BarrierState:
    """The public view of barriers."""
    return BarrierState(
        times=barriers.times,
        due=barriers.due,
        rewatch_from=barriers.rewatch_from,
        rewatched_to=barriers.rewatched_to if barriers.rewatching else None,
    )


def _key(user_id: int, usage_key: Any) -> str:
    from .sessions import short_hash

    return hotstate.Keys(user_id).barriers(short_hash(str(UsageKey.from_string(str(usage_key)))))


def _update(user_id: int, usage_key: Any, change: Callable[[Barriers], Barriers | None]) -> Barriers | None:
    """Apply ``change`` with compare-and-set; ``None`` when ``change`` refuses."""
    key, client = _key(user_id, usage_key), hotstate.client()
    cas = hotstate.script(CAS_LUA)
    for _attempt in range(10):
        raw = client.get(key) or ""
        new = change(barriers_from(raw))
        if new is None:
            return None
        if int(cas(keys=[key], args=[raw, barriers_json(new), BARRIER_TTL])) == 1:
            return new
    raise RuntimeError("barrier document kept changing under a compare-and-set")


def set_barriers(user_id: int, usage_key: Any, times: Iterable[float]) -> BarrierState:
    """See ``api.set_barriers``."""
    wanted = tuple(times)
    result = _update(user_id, usage_key, lambda current: with_times(current, wanted))
    return state_of(result or Barriers())


def pass_barrier(user_id: int, usage_key: Any, at: float) -> bool:
    """See ``api.pass_barrier``."""
    return _update(user_id, usage_key, lambda current: passed(current, float(at))) is not None


def rewind_barrier(user_id: int, usage_key: Any, at: float, to: float) -> bool:
    """See ``api.rewind_barrier``."""
    return _update(user_id, usage_key, lambda current: rewound(current, float(at), float(to))) is not None


def barrier_state(user_id: int, usage_key: Any) -> BarrierState:
    """See ``api.barrier_state``."""
    return state_of(barriers_from(hotstate.client().get(_key(user_id, usage_key))))
