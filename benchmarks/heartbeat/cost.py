"""CPU per request of the heartbeat mix against the floor: one process, the real WSGI handler, no network.

``python -m benchmarks.heartbeat.cost [--db-url …] [--redis-url …] [--learners 200] [--n 2000]
[--rounds 5] [--profile FILE]``

The benchmark's "floor CPU ÷ heartbeat CPU" needs a quiet machine: it divides the server's CPU
seconds by the requests it served, and a busy neighbour moves both throughput and CPU. This script
measures the same quantity where a shared machine cannot disturb the work done: in this process,
through Django's own ``WSGIHandler`` (so the full middleware, ``request_started``/``finished`` and
the database connection's life cycle, as a uWSGI worker runs them), with the environ uWSGI builds
and the headers the load generator sends (session and CSRF cookies, ``X-CSRFToken``, JSON).

- **The mix is the benchmark's**: the same simulated learners (``learner.py``, seeded) open
  sessions, beat, pause, seek, take over from a second device and read and answer "still there?"
  codes, on a *virtual* server clock that jumps to the next learner's due time. No request waits,
  every beat is on time, and the work is the same on every run of the same code.
- **The floor is the benchmark's**: a heartbeat-sized JSON POST to the bare 204 view with a
  learner's cookies.
- Floor and mix requests alternate one by one, so a neighbour slows them alike; per round, the CPU
  milliseconds per request of each and their ratio (floor ÷ heartbeat, as the benchmark's summary)
  are printed, and the median over the rounds.

``--profile FILE`` writes a CPU-time ``cProfile`` of the mix (one more round, not timed).
The database (``xueshi_perfcost`` by default) is created and migrated when missing; the run's Redis
keys are deleted at the end. No flusher runs: the ledger stream is left for nobody, as the
benchmark's server never reads it either.
"""

from __future__ import annotations

import argparse
import heapq
import io
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from .learner import Block, Call, Learner

HOST = "127.0.0.1:8000"
VIRTUAL = {"now": time.time()}
CLOCK_FACTOR = 10.0  # the benchmark's default: server seconds per real second


def virtual_real_time() -> float:
    """The real time the benchmark would be at: the server clock slowed down by its factor."""
    return VIRTUAL["now"] / CLOCK_FACTOR


def virtual_now() -> float:
    """The server clock of this run: moved on by the driver, never by waiting."""
    return VIRTUAL["now"]


def setup(args: argparse.Namespace, prefix: str) -> None:
    """Benchmark settings on the given services, the virtual clock, the database ready."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="benchmarks.settings",
        XUESHI_SETTINGS_TYPE="production",
        XUESHI_DB_URL=args.db_url,
        XUESHI_REDIS_URL=args.redis_url,
        XUESHI_BENCH_PREFIX=prefix,
    )
    from .processes import create_database

    create_database(args.db_url)
    import django

    django.setup()
    from django.conf import settings

    settings.XUESHI_STUDYTIME_CLOCK = virtual_now
    # The real-name gate trusts a complete profile for 30 real seconds per process; in the benchmark
    # a learner beats every 3 real seconds (30 server seconds on a 10x clock), so its cache hits.
    # Here it follows the virtual clock at the same ratio, however slowly a busy machine runs us.
    from xueshi_identity import gatecache

    gatecache.clock = virtual_real_time
    from . import prepare

    prepare.migrate()


class Wsgi:
    """Requests into Django's ``WSGIHandler`` as uWSGI hands them over."""

    def __init__(self) -> None:
        from django.core.wsgi import get_wsgi_application

        self.app = get_wsgi_application()

    def post(
        self, path: str, body: dict[str, Any], learner: dict[str, Any]
    ) -> tuple[int, dict[str, Any] | None]:
        """POST ``body`` as JSON with the learner's cookies; return the status and the JSON reply."""
        raw = json.dumps(body).encode()
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SCRIPT_NAME": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "REMOTE_PORT": "40000",
            "REQUEST_URI": path,
            "HTTP_HOST": HOST,
            "HTTP_CONNECTION": "keep-alive",
            "HTTP_USER_AGENT": "python/gevent-http-client-1.5.3",
            "HTTP_ACCEPT_ENCODING": "gzip, deflate",
            "HTTP_COOKIE": f"sessionid={learner['session']}; csrftoken={learner['csrf']}",
            "HTTP_X_CSRFTOKEN": learner["csrf"],
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(raw)),
            "wsgi.input": io.BytesIO(raw),
            "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        status: list[str] = []
        result = self.app(environ, lambda s, _headers, _exc=None: status.append(s))
        try:
            content = b"".join(result)
        finally:
            result.close()  # request_finished: what closes or keeps the database connection
        try:
            reply = json.loads(content) if content else None
        except ValueError:
            reply = None
        return int(status[0].split()[0]), reply if isinstance(reply, dict) else None


class Mix:
    """The benchmark's simulated learners, driven in order of due time on the virtual clock."""

    def __init__(self, wsgi: Wsgi, specs: list[dict[str, Any]], blocks: list[dict[str, Any]]) -> None:
        from xueshi_studytime import conf
        from xueshi_studytime.challenges import code_under

        self.wsgi = wsgi
        self.statuses: dict[tuple[str, int], int] = {}
        self.cpu: dict[str, list[float]] = {}  # call name -> [count, CPU seconds]
        read_code = partial(code_under, conf.token_keys()[0])
        videos = [Block(b["course"], b["usage"], float(b["duration"])) for b in blocks]
        self.heap: list[tuple[float, int, Learner, dict[str, Any]]] = []
        for spec in specs:
            learner = Learner(spec["user_id"], videos, random.Random(7 * 1_000_003 + spec["user_id"]))
            learner.read_code = read_code
            learner.start(virtual_now())
            self.heap.append((learner.next_due(), learner.user_id, learner, spec))
        heapq.heapify(self.heap)

    def step(self) -> None:
        """The next due request of the next due learner, at its due time."""
        _due, _uid, learner, spec = heapq.heappop(self.heap)
        VIRTUAL["now"] = max(VIRTUAL["now"], learner.next_due())
        call: Call = learner.next_call(virtual_now())
        started = time.process_time()
        status, reply = self.wsgi.post(call.path, call.body, spec)
        spent = self.cpu.setdefault(call.name, [0, 0.0])
        spent[0] += 1
        spent[1] += time.process_time() - started
        self.statuses[call.name, status] = self.statuses.get((call.name, status), 0) + 1
        learner.on_reply(call, status, reply, virtual_now())
        heapq.heappush(self.heap, (learner.next_due(), learner.user_id, learner, spec))

    def credited_seconds(self) -> float:
        """Credit every reply announced so far (a sanity line: the mix is really crediting)."""
        return sum(learner.credited_ms for _d, _u, learner, _s in self.heap) / 1000


def floor_calls(wsgi: Wsgi, specs: list[dict[str, Any]]) -> Callable[[], None]:
    """One floor request with a random learner's cookies, as ``load.FloorUser`` sends it."""
    rng = random.Random(11)
    body = {"token": "v1." + "x" * 60, "seq": 1, "position": 1.0, "playing": True, "visible": True}

    def call() -> None:
        status, _reply = wsgi.post("/bench/floor", body, rng.choice(specs))
        if status != 204:
            raise SystemExit(f"floor answered {status}")

    return call


def cpu_ms_per_call(call: Callable[[], None], n: int) -> float:
    """Process CPU milliseconds per call over ``n`` calls."""
    started = time.process_time()
    for _ in range(n):
        call()
    return (time.process_time() - started) * 1000 / n


def rounds(floor: Callable[[], None], mix: Mix, args: argparse.Namespace) -> Iterator[tuple[float, float]]:
    """``(floor ms, heartbeat ms)`` per request, round after round.

    Within a round the two kinds alternate request by request, each timed on the process clock, so
    a neighbour's burst (which inflates CPU time through shared caches and cores) lands on both.
    """
    for _round in range(args.rounds):
        spent = [0.0, 0.0]
        for _ in range(args.n):
            for kind, call in enumerate((floor, mix.step)):
                started = time.process_time()
                call()
                spent[kind] += time.process_time() - started
        yield spent[0] * 1000 / args.n, spent[1] * 1000 / args.n


def profile(mix: Mix, n: int, out: Path) -> None:
    """A CPU-time profile (``cProfile`` on the process clock) of ``n`` requests of the mix.

    Written as ``pstats`` data to ``out`` (``python -m pstats``, snakeviz); the top of the cumulative
    table is printed. The profiler's own cost inflates functions called often: read shares, not ms.
    """
    import cProfile
    import pstats

    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(n):
        mix.step()
    profiler.disable()
    profiler.dump_stats(out)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)


def main() -> None:
    """Print CPU per request of the floor and of the heartbeat mix, and their ratio."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.heartbeat.cost", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--db-url", default="mysql://root@127.0.0.1:3306/xueshi_perfcost")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--learners", type=int, default=200, help="simulated learners of the mix")
    parser.add_argument("--n", type=int, default=2000, help="requests per round of each kind")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", type=Path, help="also write a CPU-time cProfile (pstats) of the mix")
    args = parser.parse_args()
    prefix = f"xst-cost-{int(time.time())}"
    setup(args, prefix)
    from . import prepare
    from .run import forget_redis_keys

    try:
        blocks = prepare.seed_course()
        specs = prepare.make_learners(prefix, 0, args.learners)
        wsgi = Wsgi()
        mix, floor = Mix(wsgi, specs, blocks), floor_calls(wsgi, specs)
        # Warm-up: every learner opens a session and beats for two intervals; the floor warms too.
        warm_until = virtual_now() + 90
        while mix.heap[0][0] < warm_until:
            mix.step()
        cpu_ms_per_call(floor, 200)
        samples = list(rounds(floor, mix, args))
        if args.profile:
            profile(mix, args.n, args.profile)
    finally:
        forget_redis_keys(prefix)
    floors, beats = [f for f, _b in samples], [b for _f, b in samples]
    floor_ms, beat_ms = statistics.median(floors), statistics.median(beats)
    print(f"load average: {Path('/proc/loadavg').read_text().strip()}")
    print(f"learners {args.learners}, {args.rounds} rounds × {args.n} requests of each kind")
    replies = ", ".join(f"{name} {status}: {n}" for (name, status), n in sorted(mix.statuses.items()))
    print(f"heartbeat-mix replies: {replies}; credited {mix.credited_seconds():.0f} s")
    for name, (count, cpu) in sorted(mix.cpu.items()):
        print(f"  {name}: {count} requests, {1000 * cpu / count:.3f} ms CPU each")
    ratios = [f / b for f, b in samples]
    print(f"floor CPU per request:     {floor_ms:.3f} ms (rounds: {', '.join(f'{x:.3f}' for x in floors)})")
    print(f"heartbeat CPU per request: {beat_ms:.3f} ms (rounds: {', '.join(f'{x:.3f}' for x in beats)})")
    print(
        f"floor CPU ÷ heartbeat CPU: {statistics.median(ratios):.3f} (median of rounds: "
        f"{', '.join(f'{x:.3f}' for x in ratios)})"
    )


if __name__ == "__main__":
    main()
