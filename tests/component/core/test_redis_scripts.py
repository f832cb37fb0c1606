"""``redisclients.script`` runs Lua over a connection kept by the thread (ADR 0708) and stays robust.

The fast path skips redis-py's per-command and per-checkout overhead; what redis-py did for a
script must still happen: a connection the server closed is redone, a server that lost its
script cache gets the script again, errors surface as ``RedisError`` and leave nothing half-read.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import redis

from xueshi_core import redisclients

pytestmark = [pytest.mark.component]

INCR = "return redis.call('INCRBY', KEYS[1], ARGV[1])"


@pytest.fixture
def client() -> Iterator[Any]:
    url = os.environ.get("XUESHI_REDIS_URL", "")
    if not url:
        pytest.skip("needs XUESHI_REDIS_URL")
    yield redisclients.client(url, setting="XUESHI_REDIS_URL")


def test_a_script_runs_on_the_threads_own_connection_as_redis_py_would(client: Any) -> None:
    fast = redisclients.script(client, INCR)
    assert isinstance(fast, redisclients.PooledScript)
    assert fast(keys=["hb:n"], args=[2]) == 2
    assert client.register_script(INCR)(keys=["hb:n"], args=[3]) == 5  # same reply shape
    assert fast(keys=["hb:n"], args=[1]) == 6
    assert client.get("hb:n") == "6"


def test_a_connection_the_server_closed_is_redone_before_the_script(client: Any) -> None:
    fast = redisclients.script(client, INCR)
    fast(keys=["hb:k"], args=[1])
    conn = redisclients._thread_connection(client.connection_pool)
    conn.send_command("CLIENT", "ID")
    own_id = conn.read_response()
    # Only this connection: the Redis server is shared with other test runs.
    assert client.client_kill_filter(_id=own_id) == 1
    assert fast(keys=["hb:k"], args=[1]) == 2  # counted exactly once, on a new connection


def test_a_flushed_script_cache_is_loaded_again(client: Any) -> None:
    fast = redisclients.script(client, INCR)
    fast(keys=["hb:f"], args=[1])
    client.script_flush()
    assert fast(keys=["hb:f"], args=[1]) == 2


def test_a_script_error_is_a_redis_error_and_the_connection_stays_usable(client: Any) -> None:
    fast = redisclients.script(client, INCR)
    client.set("hb:s", "not a number")
    with pytest.raises(redis.RedisError):
        fast(keys=["hb:s"], args=[1])
    assert fast(keys=["hb:t"], args=[4]) == 4


def test_other_clients_run_redis_pys_script() -> None:
    import fakeredis

    fake = fakeredis.FakeRedis(decode_responses=True)
    assert redisclients.script(fake, INCR)(keys=["x"], args=[7]) == 7


def test_connections_of_finished_threads_go_back_to_the_pool(client: Any) -> None:
    """A server with a thread per request (runserver, the sandbox) must not exhaust the pool.

    redis-py's pool allows 100 connections; 150 short-lived threads each run a script once.
    """
    import threading

    fast = redisclients.script(client, INCR)
    errors: list[BaseException] = []

    def one_request() -> None:
        try:
            fast(keys=["hb:threads"], args=[1])
        except BaseException as error:
            errors.append(error)

    for _ in range(150):
        thread = threading.Thread(target=one_request)
        thread.start()
        thread.join()
    assert errors == []
    assert client.get("hb:threads") == "150"
    assert len(client.connection_pool._in_use_connections) < 10
