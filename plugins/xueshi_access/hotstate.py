"""Redis state of ``xueshi_access``: the current device per account, token bindings, counters.

Keys of one account share a hash tag (``{<prefix>:u<id>}``) so the sign-in script touches one
Redis Cluster slot. The per-request check is a single pipelined round trip.
"""

from __future__ import annotations

from typing import Any

from xueshi_core import redisclients

from . import conf

DEVICE_TTL = 90 * 86400

# Make ARGV[1] the account's current device unless policy 'refuse' meets a live one.
# KEYS[1] current-device key, KEYS[2] new device hash. ARGV: 1 new id, 2 now, 3 policy,
# 4 active seconds, 5 ttl, 6 device-hash key prefix, 7.. field/value pairs of the new device.
# Returns {1, old id or ''} when taken (old one marked ended 'replaced'), {0, old id} when refused.
BEGIN_LUA = """
local unpack = unpack or table.unpack
local old = redis.call('GET', KEYS[1]) or ''
if old ~= '' and old ~= ARGV[1] then
  local okey = ARGV[6] .. old
  local ended = redis.call('HGET', okey, 'ended') or ''
  local seen = tonumber(redis.call('HGET', okey, 'seen') or '0')
  if ended == '' and ARGV[3] == 'refuse' and tonumber(ARGV[2]) - seen < tonumber(ARGV[4]) then
    return {0, old}
  end
  if ended == '' then redis.call('HSET', okey, 'ended', 'replaced', 'ended_at', ARGV[2]) end
end
redis.call('HSET', KEYS[2], unpack(ARGV, 7))
redis.call('EXPIRE', KEYS[2], ARGV[5])
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[5])
return {1, old}
"""


def client() -> Any:
    """The Redis client (``xueshi_core.redisclients``: one pool per URL, bounded timeouts)."""
    return redisclients.client(conf.redis_url(), setting="XUESHI_ACCESS_REDIS_URL")


def script(source: str) -> Any:
    """A registered Lua script on the current client (cached per client)."""
    return redisclients.script(client(), source)


class Keys:
    """Key names of one account."""

    def __init__(self, user_id: int) -> None:
        self.tag = f"{conf.key_prefix()}:{{u{int(user_id)}}}"

    @property
    def current(self) -> str:
        """Id of the account's current device."""
        return f"{self.tag}:cur"

    @property
    def device_prefix(self) -> str:
        """Prefix of device hashes (``uid``, ``since``, ``seen``, ``channel``, ``kind``, ``ended``)."""
        return f"{self.tag}:dev:"

    def device(self, device_id: str) -> str:
        """Hash of one device."""
        return self.device_prefix + device_id


def token_key(fingerprint: str) -> str:
    """Binding of an issued access token (by fingerprint) to ``<user id>:<device id>``."""
    return f"{conf.key_prefix()}:tok:{fingerprint}"


def counter_key(scope: str, subject: str) -> str:
    """Failed sign-in counter of an account or IP."""
    return f"{conf.key_prefix()}:fail:{scope}:{subject}"


def lock_key(scope: str, subject: str) -> str:
    """Lock of an account or IP after too many failures."""
    return f"{conf.key_prefix()}:lock:{scope}:{subject}"


def ended_key(device_id: str) -> str:
    """Why a device ended, kept for the device cookie's notice after its session is gone."""
    return f"{conf.key_prefix()}:ended:{device_id}"
