"""When each device was last seen: kept in Redis by requests, copied to MariaDB by a beat task.

The one-device check runs on every signed-in request. Writing ``SignInDevice.last_seen_at`` from
the request (one committed UPDATE per device every five minutes, every tenth heartbeat of a
learner) put a synchronous, fsync'd write in the hottest path. Requests now only add the device to
a Redis sorted set (``<prefix>:seen``, score = the time seen), in the same round trip as the hash
update they already make; ``save`` copies the set to MariaDB in batches and removes an entry only
if it was not seen again meanwhile. The copy is idempotent, so a task that dies half-way repeats
work and loses nothing. The durable value lags Redis by at most ``DB_SEEN_EVERY`` plus the task's
period; readers of the durable value (rebuilding Redis after a restart, ending devices idle for
weeks) tolerate minutes. See ADR 0523.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from . import conf, hotstate
from .models import SignInDevice

DB_SEEN_EVERY = 300
BATCH = 500

# Remove each ARGV member whose score is still ARGV value (not seen again since it was read).
# KEYS[1] the sorted set; ARGV: member, score, member, score, ... Returns how many were removed.
FORGET_SAVED_LUA = """
local removed = 0
for i = 1, #ARGV, 2 do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if score and tonumber(score) == tonumber(ARGV[i + 1]) then
    redis.call('ZREM', KEYS[1], ARGV[i])
    removed = removed + 1
  end
end
return removed
"""


def key() -> str:
    """The sorted set of devices seen since their last copy to MariaDB (member: device id)."""
    return f"{conf.key_prefix()}:seen"


def due(now: float, saved_at: float) -> bool:
    """Whether a device seen at ``now`` should be queued for MariaDB (last queued at ``saved_at``)."""
    return now - saved_at >= DB_SEEN_EVERY


def mark(pipe: Any, device_id: str, now: float) -> None:
    """Queue the device for the copy, on a pipeline the caller executes (no extra round trip)."""
    pipe.zadd(key(), {device_id: now})


def pending() -> int:
    """How many devices wait for the copy (what an operator watches if beat stops)."""
    return int(hotstate.client().zcard(key()))


def save(batch: int = BATCH) -> int:
    """Copy queued last-seen times to ``SignInDevice.last_seen_at``; return how many rows were written.

    Runs at most as many batches as were queued when it started, so devices seen while it runs
    wait for the next run instead of keeping this one busy.
    """
    r = hotstate.client()
    forget = hotstate.script(FORGET_SAVED_LUA)
    rounds = -(-int(r.zcard(key())) // batch)
    written = 0
    for _ in range(rounds):
        entries = r.zrange(key(), 0, batch - 1, withscores=True)
        if not entries:
            break
        rows = [
            SignInDevice(pk=uuid.UUID(str(member)), last_seen_at=datetime.fromtimestamp(score, tz=UTC))
            for member, score in entries
        ]
        written += SignInDevice.objects.bulk_update(rows, ["last_seen_at"])
        forget(keys=[key()], args=[x for member, score in entries for x in (member, repr(score))])
    return written
