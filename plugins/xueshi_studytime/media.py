"""Proof that the video was delivered: media URLs signed for the learner and block, and a fetch log.

A script that replays the heartbeat protocol never needs the video itself. The player's media URLs
(those under ``XUESHI_STUDYTIME_MEDIA_SIGNED_PREFIXES``) therefore carry ``xst=<uid>.<block
hash>.<expiry>.<hmac>``; the media server verifies it and logs the bytes it sent in Redis under the
learner's hash tag, and the heartbeat reads that log in its one pipelined read. With
``XUESHI_STUDYTIME_MEDIA_PROOF`` on, a session whose learner fetched no media of the block earns
nothing (reason ``no_media``); either way the session gets the ``no_media`` risk signal (ADR 0052).

Bound to learner and block, not to the session: the player attaches its sources before it opens a
session (the poster and duration load first). Session-bound segment URLs, and crediting only the
positions whose segments were delivered, come with the signed delivery of issue 24.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings

from . import conf, hotstate

PARAM = "xst"
LOG_FIELDS = ("at", "bytes", "fetches")

RECORD_LUA = """
redis.call('HSET', KEYS[1], 'at', ARGV[1], 'size', ARGV[3], 'path', ARGV[4])
redis.call('HINCRBY', KEYS[1], 'bytes', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'fetches', 1)
redis.call('EXPIRE', KEYS[1], ARGV[5])
return 1
"""


def signed_prefixes() -> tuple[str, ...]:
    """URL paths whose media this deployment serves through a verifying view (sandbox: ``/media/``)."""
    return tuple(getattr(settings, "XUESHI_STUDYTIME_MEDIA_SIGNED_PREFIXES", ()) or ())


def proof_required() -> bool:
    """Whether a session earns only after media of its block was delivered to its learner."""
    return bool(getattr(settings, "XUESHI_STUDYTIME_MEDIA_PROOF", False)) and bool(signed_prefixes())


def log_key(user_id: int, usage_hex: str) -> str:
    """Fetch log of one learner and block (a hash: at, bytes, fetches, size, path)."""
    return hotstate.Keys(user_id).media(usage_hex)


def _mac(user_id: int, usage_hex: str, path: str, expires: int, key: bytes) -> str:
    message = f"media|{user_id}|{usage_hex}|{path}|{expires}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def sign_url(url: str, user_id: int, usage_hex: str, now: float) -> str:
    """``url`` with the learner's signature when its path is one we serve; other URLs unchanged."""
    parts = urlsplit(url)
    if not any(parts.path.startswith(prefix) for prefix in signed_prefixes()):
        return url
    expires = int(now) + conf.token_ttl_seconds()
    mac = _mac(user_id, usage_hex, parts.path, expires, conf.token_keys()[0])
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != PARAM]
    query.append((PARAM, f"{user_id}.{usage_hex}.{expires}.{mac}"))
    return urlunsplit(parts._replace(query=urlencode(query)))


def verify(path: str, value: str, now: float) -> tuple[int, str] | None:
    """``(user id, block hash)`` of a valid, unexpired signature for ``path``; ``None`` otherwise."""
    fields = value.split(".")
    if len(fields) != 4 or not fields[0].isdigit() or not fields[2].isdigit() or len(fields[0]) > 12:
        return None
    user_id, usage_hex, expires, mac = int(fields[0]), fields[1], int(fields[2]), fields[3]
    if expires < now or len(usage_hex) != 16:
        return None
    for key in conf.token_keys():
        if hmac.compare_digest(_mac(user_id, usage_hex, path, expires, key), mac):
            return user_id, usage_hex
    return None


def record(user_id: int, usage_hex: str, path: str, sent_bytes: int, size: int, now: float) -> None:
    """Log a delivery (one script): when, how many bytes, of what; kept as long as a token lives."""
    hotstate.script(RECORD_LUA)(
        keys=[log_key(user_id, usage_hex)],
        args=[repr(now), max(0, sent_bytes), size, path[:200], conf.token_ttl_seconds() + 3600],
    )


def delivered(log: dict[str, str]) -> bool:
    """Whether a fetch log (as read by the heartbeat) shows any media delivered."""
    return int(log.get("bytes") or 0) > 0
