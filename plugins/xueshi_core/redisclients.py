"""The one place Xueshi makes Redis clients (one connection pool per URL, shared by every app).

The ledger's hot state, the one-device check and the sign-in throttle all talk to Redis. Each used
to build its own client, each with no socket timeouts, so a Redis that hung (rather than refused)
held every web worker forever. Here every client gets bounded connect and read timeouts, so an
outage surfaces as a quick :class:`redis.RedisError` that the caller turns into a fail-open or
fail-closed answer (ADR 0062). Without a URL (development only) an in-process fake stands in, one
per process, loudly logged.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import redis
from django.conf import settings

log = logging.getLogger(__name__)

#: What a Redis outage raises (connection refused, timeout, a server that went read-only ...).
RedisError = redis.RedisError

_clients: dict[str, Any] = {}
_scripts: dict[tuple[int, str], Any] = {}
_lock = threading.Lock()


def connect_timeout() -> float:
    """Seconds to wait for a TCP connection (``XUESHI_REDIS_CONNECT_TIMEOUT``, 1 by default)."""
    return float(getattr(settings, "XUESHI_REDIS_CONNECT_TIMEOUT", 1.0))


def read_timeout() -> float:
    """Seconds to wait for one reply (``XUESHI_REDIS_SOCKET_TIMEOUT``, 2 by default).

    Every command Xueshi sends is short (no blocking reads), so a reply slower than this means
    the server is unwell, and the request should degrade rather than wait.
    """
    return float(getattr(settings, "XUESHI_REDIS_SOCKET_TIMEOUT", 2.0))


def client(url: str, *, setting: str) -> Any:
    """The client for ``url`` (one pool per URL); the process-wide fake when ``url`` is empty.

    ``setting`` names the setting that should have held the URL, for the development warning.
    Typed ``Any`` on purpose: with ``decode_responses=True`` every reply is ``str``, which
    redis-py's annotations (``bytes | str``) cannot express.
    """
    with _lock:
        found = _clients.get(url)
        if found is None:
            if url:
                found = redis.Redis.from_url(
                    url,
                    decode_responses=True,
                    health_check_interval=30,
                    socket_connect_timeout=connect_timeout(),
                    socket_timeout=read_timeout(),
                )
            else:
                import fakeredis

                log.warning("%s is not set: Redis state is in-process (development only)", setting)
                found = fakeredis.FakeRedis(server=fakeredis.FakeServer(), decode_responses=True)
            _clients[url] = found
        return found


def script(redis_client: Any, source: str) -> Any:
    """A Lua script registered on ``redis_client`` (EVALSHA, reloaded on NOSCRIPT), cached per client."""
    key = (id(redis_client), source)
    with _lock:
        found = _scripts.get(key)
        if found is None:
            found = _scripts[key] = redis_client.register_script(source)
        return found
