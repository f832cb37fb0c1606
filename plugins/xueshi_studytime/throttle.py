"""Throttling session opening per learner: a token bucket in Redis (ADR 0040).

Opening a session writes MariaDB and signals other apps, and before the per-learner budget a
fresh session was also a fresh jitter bank. The budget now makes churn worthless for credit; the
bucket keeps it cheap: a burst of ``OPEN_BURST`` opens (a learner reloading, resuming, switching
lessons), then one every ``OPEN_REFILL_SECONDS``. Time is the server clock passed in, so tests
drive it like the heartbeat's.
"""

from __future__ import annotations

import math

from django.utils.translation import gettext as _

from . import conf, hotstate
from .exceptions import SessionsThrottled

OPEN_LUA = """
local now, burst, refill = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local tokens = tonumber(redis.call('HGET', KEYS[1], 't') or ARGV[2])
local at = tonumber(redis.call('HGET', KEYS[1], 'a') or ARGV[1])
if now > at then
  tokens = math.min(burst, tokens + (now - at) / refill)
  at = now
end
if tokens < 1 then return tostring((1 - tokens) * refill) end
redis.call('HSET', KEYS[1], 't', tostring(tokens - 1), 'a', tostring(at))
redis.call('EXPIRE', KEYS[1], ARGV[4])
return '0'
"""


def take_open_token(user_id: int, now: float) -> None:
    """Spend one of the learner's session-opening tokens, or raise ``SessionsThrottled``.

    A burst of 0 turns the throttle off.
    """
    burst, refill = conf.open_burst(), conf.open_refill_seconds()
    if burst <= 0 or refill <= 0:
        return
    ttl = math.ceil(burst * refill) + 60  # a full bucket needs no key
    wait = float(
        hotstate.script(OPEN_LUA)(keys=[hotstate.Keys(user_id).opens], args=[repr(now), burst, refill, ttl])
    )
    if wait > 0:
        seconds = max(1, math.ceil(wait))
        raise SessionsThrottled(
            _("Videos were opened too often in a short time. Wait %(seconds)s seconds, then try again.")
            % {"seconds": seconds},
            retry_after=seconds,
        )
