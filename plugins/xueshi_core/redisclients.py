"""The one place Xueshi makes Redis clients (one connection pool per URL, shared by every app).

The ledger's hot state, the one-device check and the sign-in throttle all talk to Redis. Each used
to build its own client, each with no socket timeouts, so a Redis that hung (rather than refused)
held every web worker forever. Here every client gets bounded connect and read timeouts, so an
outage surfaces as a quick :class:`redis.RedisError` that the caller turns into a fail-open or
fail-closed answer (ADR 0062). Without a URL (development only) an in-process fake stands in, one
per process, loudly logged.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Sequence
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
    """A Lua script registered on ``redis_client`` (EVALSHA, reloaded on NOSCRIPT), cached per client.

    Called as redis-py's ``Script`` is: ``script(keys=[...], args=[...])``.
    """
    key = (id(redis_client), source)
    with _lock:
        found = _scripts.get(key)
        if found is None:
            found = _scripts[key] = PooledScript(redis_client, source)
        return found


class PooledScript:
    """A registered script sent with redis-py's own ``Connection`` API over a connection of this thread.

    Why: the heartbeat runs two scripts, and redis-py 8 spends about as much client CPU around a
    command as on sending and parsing it: its metrics hooks stay on even when no collector is
    configured (on every command and on every pool check-out and check-in), plus the HIMPORT
    check and the closures of its retry. Measured in one process: 84 µs per script call through
    ``Script``, 35-40 µs here (ADR 0708). Each thread takes one connection from the client's pool
    once and keeps it for its scripts (a uWSGI worker is one thread); a forked child takes its own.
    What redis-py does for a script is kept: health checks, the client's ``Retry`` on connection
    errors and timeouts (the connection is dropped and reconnected before a retry, as redis-py
    does), a ``SCRIPT LOAD`` on NOSCRIPT, errors raised as ``redis.RedisError``, decoded replies.
    Any other client (a subclass such as fakeredis, a single-connection client) runs redis-py's
    ``Script``.
    """

    def __init__(self, redis_client: Any, source: str) -> None:
        self._script = redis_client.register_script(source)
        self._pool = getattr(redis_client, "connection_pool", None)
        self._own = type(redis_client) is redis.Redis and redis_client.connection is None

    @property
    def sha(self) -> str:
        """The script's SHA1 (what EVALSHA names)."""
        return str(self._script.sha)

    def __call__(self, keys: Sequence[Any] = (), args: Sequence[Any] = ()) -> Any:
        """Run the script; the reply as redis-py's ``Script`` returns it."""
        if not self._own:
            return self._script(keys=list(keys), args=list(args))
        conn = _thread_connection(self._pool)
        return conn.retry.call_with_retry(
            lambda: self._run(conn, keys, args), lambda _error: conn.disconnect()
        )

    def _run(self, conn: Any, keys: Sequence[Any], args: Sequence[Any]) -> Any:
        try:
            conn.send_command("EVALSHA", self._script.sha, len(keys), *keys, *args)
            return conn.read_response()
        except redis.exceptions.NoScriptError:
            # A restarted or failed-over server lost its script cache: load, then run once more.
            conn.send_command("SCRIPT", "LOAD", self._script.script)
            self._script.sha = conn.read_response()
            conn.send_command("EVALSHA", self._script.sha, len(keys), *keys, *args)
            return conn.read_response()


class _ThreadConnections(dict[int, tuple[Any, Any]]):
    """One thread's script connections by pool id, given back to their pools when the thread ends.

    Why: a server that runs each request on a new thread (Django's runserver, the sandbox, a test
    live server) would otherwise keep one connection per finished thread checked out for ever, and
    redis-py's pool (100 connections by default) then refuses every request with "Too many
    connections". CPython drops a thread's ``threading.local`` values when the thread ends, which
    runs ``__del__`` here; a forked child's copy is left alone (the pool resets itself there).
    """

    def __init__(self) -> None:
        super().__init__()
        self.pid = os.getpid()

    def __del__(self) -> None:
        if self.pid != os.getpid():
            return
        for pool, conn in self.values():
            # At thread or interpreter end nothing can be reported; the pool may be gone already.
            with contextlib.suppress(Exception):
                pool.release(conn)


_local = threading.local()


def _thread_connection(pool: Any) -> Any:
    """The script connection of ``pool`` for the calling thread: checked out once, renewed after a fork."""
    held: _ThreadConnections | None = getattr(_local, "connections", None)
    if held is None or held.pid != os.getpid():
        held = _local.connections = _ThreadConnections()
    found = held.get(id(pool))
    if found is None:
        conn = pool.get_connection()
        held[id(pool)] = (pool, conn)
        return conn
    conn = found[1]
    try:  # what the pool checks at every check-out: a connection the server closed is redone
        if conn.can_read():
            raise redis.ConnectionError("connection has unread data")
    except (redis.ConnectionError, redis.TimeoutError, OSError):
        conn.disconnect()
        conn.connect()
    return conn
