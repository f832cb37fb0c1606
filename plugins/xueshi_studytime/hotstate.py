"""Hot state in Redis: session hashes, the per-learner lease, coverage, day counters, ledger streams.

Every key of one learner carries the same Redis Cluster hash tag (``{<prefix><shard>}``, shard =
user id mod ``SHARDS``), and so does the ledger stream of that shard, so each Lua script below
touches a single slot. A heartbeat is one read script (``READ``) plus one script (``COMMIT``) that
compares-and-sets the session's version (and the learner's checkpoint barriers in the block),
renews the lease, stores coverage and barriers, compares-and-sets the learner's credit budget
(``budget.py``, ADR 0040), increments the day counter and appends the ledger event: all or
nothing, so a dying web process cannot leave a credit counted without its ledger event or the
other way round.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from xueshi_core import redisclients

from . import conf
from .budget import LearnerBudget
from .values import Coverage, SessionState

PROGRESS_TTL = 30 * 86400
DAY_TTL = 3 * 86400
# A learner silent this long starts a fresh budget: one jitter bank, anti-idle count at zero.
LEARNER_TTL = 12 * 3600
GROUP = "flushers"

_LUA_PREAMBLE = "local unpack = unpack or table.unpack\n"
COMMIT_LUA = (
    _LUA_PREAMBLE
    + """
if redis.call('HGET', KEYS[1], 'ver') ~= ARGV[1] then return {0, 'ver'} end
local lease = redis.call('GET', KEYS[2]) or ''
if lease ~= ARGV[2] then return {0, 'lease'} end
if (redis.call('GET', KEYS[6]) or '') ~= ARGV[11] then return {0, 'barriers'} end
if ARGV[15] == '1' and (redis.call('HGET', KEYS[7], 'ver') or '') ~= ARGV[14] then return {0, 'learner'} end
redis.call('HINCRBY', KEYS[1], 'ver', 1)
if #ARGV > 20 then redis.call('HSET', KEYS[1], unpack(ARGV, 21)) end
if ARGV[15] == '1' then
  redis.call('HSET', KEYS[7], 'clock', ARGV[16], 'slack', ARGV[17], 'idle', ARGV[18], 'ch', ARGV[19])
  redis.call('HINCRBY', KEYS[7], 'ver', 1)
  redis.call('EXPIRE', KEYS[7], ARGV[20])
end
if ARGV[12] ~= '=' then
  if ARGV[12] == '' then redis.call('DEL', KEYS[6])
  else redis.call('SET', KEYS[6], ARGV[12], 'EX', ARGV[13]) end
end
if ARGV[3] == 'hold' then redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[5])
elseif ARGV[3] == 'release' then redis.call('DEL', KEYS[2]) end
if ARGV[6] ~= '' then redis.call('SET', KEYS[3], ARGV[6], 'EX', ARGV[7]) end
local total
if tonumber(ARGV[8]) > 0 then
  total = redis.call('INCRBY', KEYS[4], ARGV[8])
  redis.call('EXPIRE', KEYS[4], ARGV[9])
else
  total = tonumber(redis.call('GET', KEYS[4]) or '0')
end
redis.call('XADD', KEYS[5], '*', 'e', ARGV[10])
return {1, total}
"""
)
# What a heartbeat reads, in one round trip (ADR 0707): the session, lease, coverage, holds,
# barriers, the learner's budget and the media log. HGETALL replies stay flat; GET misses are nil.
READ_LUA = """
return {redis.call('HGETALL', KEYS[1]), redis.call('GET', KEYS[2]), redis.call('GET', KEYS[3]),
  redis.call('HGETALL', KEYS[4]), redis.call('GET', KEYS[5]), redis.call('HGETALL', KEYS[6]),
  redis.call('HGETALL', KEYS[7])}
"""
ACQUIRE_LUA = (
    _LUA_PREAMBLE
    + """
local lease = redis.call('GET', KEYS[1]) or ''
if lease ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[2], unpack(ARGV, 7))
redis.call('EXPIRE', KEYS[2], ARGV[6])
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
if ARGV[4] == '1' and redis.call('EXISTS', KEYS[3]) == 1 then
  redis.call('HSET', KEYS[3], 'lost', '1')
  redis.call('HINCRBY', KEYS[3], 'ver', 1)
end
if ARGV[5] ~= '' then redis.call('XADD', KEYS[4], '*', 'e', ARGV[5]) end
return 1
"""
)
ANSWER_LUA = """
if ARGV[1] == '' or redis.call('HGET', KEYS[1], 'challenge') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'challenge', '', 'idle_credit', '0')
redis.call('HINCRBY', KEYS[1], 'ver', 1)
if redis.call('HGET', KEYS[3], 'ch') == ARGV[1] then
  redis.call('HSET', KEYS[3], 'ch', '', 'idle', '0')
  redis.call('HINCRBY', KEYS[3], 'ver', 1)
end
redis.call('XADD', KEYS[2], '*', 'e', ARGV[2])
return 1
"""

END_LUA = """
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HGET', KEYS[1], 'ended') ~= '' then return 0 end
if redis.call('HGET', KEYS[1], 'lost') == '1' then return 0 end
redis.call('HSET', KEYS[1], 'lost', '1')
redis.call('HINCRBY', KEYS[1], 'ver', 1)
local lease = redis.call('GET', KEYS[2]) or ''
if string.sub(lease, 1, #ARGV[1] + 1) == ARGV[1] .. '|' then redis.call('DEL', KEYS[2]) end
redis.call('XADD', KEYS[3], '*', 'e', ARGV[2])
return 1
"""


def client() -> Any:
    """The Redis client for hot state (``xueshi_core.redisclients``: one pool per URL, bounded timeouts)."""
    return redisclients.client(conf.redis_url(), setting="XUESHI_STUDYTIME_REDIS_URL")


def script(source: str) -> Any:
    """A registered script (EVALSHA with a transparent reload on NOSCRIPT)."""
    return redisclients.script(client(), source)


def read_beat(keys: list[str]) -> list[Any]:
    """``READ_LUA`` over ``keys`` (session, lease, progress, holds, barriers, learner, delivery record).

    One script instead of a seven-command pipeline: the same reads, a seventh of redis-py's
    per-command packing and reply handling. Hashes come back as dicts, missing strings as ``None``.
    """
    h, lease, progress, holds, barriers, learner, media = script(READ_LUA)(keys=keys)
    return [_pairs(h), lease, progress, _pairs(holds), barriers, _pairs(learner), _pairs(media)]


def _pairs(flat: list[str]) -> dict[str, str]:
    it = iter(flat)
    return dict(zip(it, it, strict=True))


@dataclass(frozen=True)
class Keys:
    """Redis keys of one learner; all share the learner's hash tag."""

    user_id: int

    @cached_property
    def tag(self) -> str:
        """Hash tag: ``{prefix<shard>}`` (computed once: a heartbeat names eight keys)."""
        return f"{{{conf.key_prefix()}{self.user_id % conf.shards()}}}"

    def session(self, session_id: str) -> str:
        """Session hash."""
        return f"{self.tag}:s:{session_id}"

    @property
    def lease(self) -> str:
        """The learner's playback lease: ``<session id>|<expires at>``."""
        return f"{self.tag}:lease:{self.user_id}"

    @property
    def learner(self) -> str:
        """The learner's credit budget shared by all sessions: hash ver, clock, slack, idle, ch."""
        return f"{self.tag}:l:{self.user_id}"

    @property
    def opens(self) -> str:
        """Token bucket of session openings (``throttle.py``)."""
        return f"{self.tag}:o:{self.user_id}"

    @property
    def holds(self) -> str:
        """Active holds of the learner: hash of kind -> JSON ``{"nb": not before, "url": ...}``."""
        return f"{self.tag}:h:{self.user_id}"

    def progress(self, usage_hex: str) -> str:
        """Coverage JSON of one block."""
        return f"{self.tag}:p:{self.user_id}:{usage_hex}"

    def barriers(self, usage_hex: str) -> str:
        """Quiz-checkpoint barriers of one block (JSON, see ``checkpoints.py``)."""
        return f"{self.tag}:b:{self.user_id}:{usage_hex}"

    def media(self, usage_hex: str) -> str:
        """Media fetch log of one block (``media.log_key``)."""
        return f"{self.tag}:m:{self.user_id}:{usage_hex}"

    def day(self, course_hex: str, day: str) -> str:
        """Credited milliseconds of one course on one China day."""
        return f"{self.tag}:d:{self.user_id}:{course_hex}:{day}"

    @property
    def stream(self) -> str:
        """The ledger stream of this learner's shard."""
        return stream_key(self.user_id % conf.shards())


def stream_key(shard: int) -> str:
    """Ledger stream of a shard."""
    return f"{{{conf.key_prefix()}{shard}}}:ledger"


def parse_lease(raw: str | None) -> tuple[str, float]:
    """``(holder session id, expires at)``; ``("", 0)`` when free."""
    if not raw or "|" not in raw:
        return "", 0.0
    sid, _, expires = raw.partition("|")
    try:
        return sid, float(expires)
    except ValueError:
        return "", 0.0


def lease_value(session_id: str, expires_at: float) -> str:
    """Encode a lease; expiry is judged on the server clock, the Redis TTL only cleans up."""
    return f"{session_id}|{expires_at:.3f}"


def state_fields(state: SessionState) -> dict[str, str]:
    """Session state as hash fields (strings, as Redis stores them)."""
    return {
        "seq": str(state.seq),
        "last_at": repr(state.last_at),
        "pos": repr(state.position),
        "playing": "1" if state.playing else "0",
        "visible": "1" if state.visible else "0",
        "rate": repr(state.rate),
        "slack": repr(state.slack),
        "idle_credit": repr(state.idle_credit),
        "challenge": state.challenge_id,
        "lost": "1" if state.lost else "0",
        "ended": state.ended,
    }


def state_from(h: dict[str, str]) -> SessionState:
    """Rebuild session state from its hash."""
    return SessionState(
        seq=int(h["seq"]),
        last_at=float(h["last_at"]),
        position=float(h["pos"]),
        playing=h.get("playing") == "1",
        visible=h.get("visible", "1") == "1",
        rate=float(h.get("rate", "1")),
        slack=float(h.get("slack", "0")),
        idle_credit=float(h.get("idle_credit", "0")),
        challenge_id=h.get("challenge", ""),
        lost=h.get("lost") == "1",
        ended=h.get("ended", ""),
    )


def learner_from(h: dict[str, str], jitter: float) -> LearnerBudget:
    """The learner's budget from its hash; a fresh one when the hash is missing."""
    if not h:
        return LearnerBudget.fresh(jitter)
    return LearnerBudget(
        clock=float(h.get("clock", "0")),
        slack=float(h.get("slack", "0")),
        idle_credit=float(h.get("idle", "0")),
        challenge_id=h.get("ch", ""),
    )


def learner_args(h: dict[str, str], budget: LearnerBudget | None) -> list[str | int]:
    """``COMMIT`` arguments 14-20: expected version, then the budget to store (``None``: untouched)."""
    if budget is None:
        return [h.get("ver", ""), "0", "", "", "", "", LEARNER_TTL]
    fields = [repr(budget.clock), repr(budget.slack), repr(budget.idle_credit), budget.challenge_id]
    return [h.get("ver", ""), "1", *fields, LEARNER_TTL]


def coverage_doc(cov: Coverage, usage_key: str, duration: float = 0.0) -> dict[str, Any]:
    """Coverage as a plain document: stored in Redis (as JSON) and carried in ledger events."""
    return {
        "u": usage_key,
        "i": [list(iv) for iv in cov.intervals],
        "f": cov.frontier,
        "p": cov.last_position,
        "c": 1 if cov.completed else 0,
        "d": duration,
    }


def coverage_json(cov: Coverage, usage_key: str, duration: float = 0.0) -> str:
    """Coverage as stored in Redis."""
    return json.dumps(coverage_doc(cov, usage_key, duration), separators=(",", ":"))


def coverage_from(raw: str | None) -> Coverage | None:
    """Coverage from its JSON; ``None`` when the key is missing."""
    if not raw:
        return None
    data = json.loads(raw)
    return Coverage(
        tuple((float(s), float(e)) for s, e in data["i"]), float(data["f"]), float(data["p"]), bool(data["c"])
    )


def duration_from(raw: str | None) -> float:
    """The video duration stored beside coverage (0 when unknown)."""
    return float(json.loads(raw).get("d", 0.0)) if raw else 0.0
