"""Where a heartbeat's CPU goes, next to the bare view: one process, Django's test client, no network.

``python -m benchmarks.heartbeat.breakdown [--db-url …] [--redis-url …] [--rounds 5] [--n 300]``

Each variant runs ``n`` requests, alternating variants for ``rounds`` rounds so a busy machine
slows them alike; the median CPU milliseconds per request is printed. The test client's own cost
is in every line, so differences between lines are what to read.

``--flusher`` measures the ledger flusher instead: ``n`` learners in as many sessions beat once a
second through the ledger service, and ``flush()`` writes each round's events as one batch; the
median CPU milliseconds per event over ``rounds`` batches is printed (MariaDB's own CPU not counted).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def setup(args: argparse.Namespace) -> None:
    """Benchmark settings against the given services, server clock at real speed."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="benchmarks.settings",
        XUESHI_SETTINGS_TYPE="production",
        XUESHI_DB_URL=args.db_url,
        XUESHI_REDIS_URL=args.redis_url,
        XUESHI_BENCH_PREFIX=f"xst-breakdown-{int(time.time())}",
        XUESHI_BENCH_CLOCK_FACTOR="1",
    )
    import django

    django.setup()


def browser_of(learner: dict[str, Any]) -> Any:
    """A test client carrying the learner's session and CSRF cookies."""
    from django.test import Client

    browser = Client()
    browser.cookies["sessionid"], browser.cookies["csrftoken"] = learner["session"], learner["csrf"]
    return browser


def open_session(browser: Any, learner: dict[str, Any], block: dict[str, Any]) -> Any:
    """A playback session through the video block's ``open_session`` handler (takes the lease over)."""
    url = f"/courses/{block['course']}/xblock/{block['usage']}/handler/open_session"
    return browser.post(url, "{}", content_type="application/json", HTTP_X_CSRFTOKEN=learner["csrf"])


def variants() -> dict[str, Callable[[], Any]]:
    """The requests to compare, each a zero-argument callable."""
    from django.contrib.sessions.backends.cache import SessionStore
    from django.test import Client
    from django.urls import resolve

    from xueshi_core.caller import SESSION, Caller
    from xueshi_studytime.heartbeat import heartbeat, validate

    from . import prepare

    blocks = prepare.seed_course()
    learner = prepare.make_learners(f"breakdown-{int(time.time())}", 0, 1)[0]
    caller = Caller(learner["user_id"], SESSION, learner["session"])  # what the view finds
    browser, anonymous = browser_of(learner), Client()
    grant = open_session(browser, learner, blocks[0]).json()
    seq = iter(range(1, 10**9))
    opened = time.time()

    def body() -> dict[str, Any]:
        # Played on at rate 1 since the session opened (the clock runs at real speed here): every
        # beat is credited, so coverage, the daily counter and the ledger event are all written.
        position = round(time.time() - opened, 3)
        return {
            "token": grant["token"],
            "seq": next(seq),
            "position": position,
            "playing": True,
            "visible": True,
        }

    def post(client: Client, path: str) -> Any:
        return client.post(path, json.dumps(body()), content_type="application/json")

    hb = "/api/xueshi/studytime/v1/heartbeats"

    return {
        "floor view (Django, 204)": lambda: post(browser, "/bench/floor"),
        "DRF APIView (204, no auth)": lambda: post(anonymous, "/bench/drf-floor"),
        "URL resolution: heartbeat path": lambda: resolve(hb),
        "URL resolution: floor path": lambda: resolve("/bench/floor"),
        "session read (cache backend)": lambda: SessionStore(learner["session"]).get("_auth_user_id"),
        "ledger service only (heartbeat())": lambda: heartbeat(validate(body()), caller),
        "heartbeat view, no cookie (refused 401)": lambda: post(anonymous, hb),
        "heartbeat view, session cookie": lambda: post(browser, hb),
        "open_session (XBlock handler)": lambda: open_session(browser, learner, blocks[0]),
    }


def flusher_cost(rounds: int, n: int) -> float:
    """Median CPU ms per ledger event of ``flush()``, batches of ``n`` credited beats with coverage."""
    from xueshi_core.caller import SESSION, Caller
    from xueshi_studytime.flusher import flush
    from xueshi_studytime.heartbeat import heartbeat, validate

    from . import prepare

    blocks = prepare.seed_course()
    learners = prepare.make_learners(f"flusher-{int(time.time())}", 0, n)
    grants = [
        open_session(browser_of(learner), learner, blocks[i % len(blocks)]).json()
        for i, learner in enumerate(learners)
    ]
    flush()
    opened, samples = time.time(), []
    for seq in range(1, rounds + 3):
        time.sleep(1.05)  # a second of play per beat, so every beat is credited and extends coverage
        for learner, grant in zip(learners, grants, strict=True):
            body = {"token": grant["token"], "seq": seq, "position": round(time.time() - opened, 3)}
            caller = Caller(learner["user_id"], SESSION, learner["session"])
            heartbeat(validate({**body, "playing": True, "visible": True}), caller)
        started = time.process_time()
        written = flush()
        if seq > 2:  # the first batches create the progress rows; later ones update them
            samples.append((time.process_time() - started) * 1000 / max(1, written))
    return statistics.median(samples)


def measure(calls: dict[str, Callable[[], Any]], rounds: int, n: int) -> dict[str, float]:
    """Median CPU ms per call of each variant."""
    samples: dict[str, list[float]] = {name: [] for name in calls}
    for _round in range(rounds):
        for name, call in calls.items():
            started = time.process_time()
            for _ in range(n):
                call()
            samples[name].append((time.process_time() - started) * 1000 / n)
    return {name: statistics.median(values) for name, values in samples.items()}


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.heartbeat.breakdown")
    parser.add_argument("--db-url", default="mysql://root@127.0.0.1:3306/xueshi_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/6")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--flusher", action="store_true", help="CPU per ledger event of the flusher")
    args = parser.parse_args()
    setup(args)
    if args.flusher:
        print(f"load average: {Path('/proc/loadavg').read_text().strip()}")
        print(f"flusher CPU per ledger event: {flusher_cost(args.rounds, args.n):.3f} ms")
        return
    results = measure(variants(), args.rounds, args.n)
    print(f"load average: {Path('/proc/loadavg').read_text().strip()}")
    print("| request | CPU ms |\n|---|---|")
    for name, ms in results.items():
        print(f"| {name} | {ms:.3f} |")


if __name__ == "__main__":
    main()
