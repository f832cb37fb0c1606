"""The load generator: locust (FastHttpUser, headless, as a library) driving the phases of a run.

``python -m benchmarks.heartbeat.load`` reads one phase config (JSON) per line on stdin, runs it
against the running server, writes its result to the config's ``out`` path and prints ``done``
(one process for every phase: locust takes seconds to import). Kinds of phase:

- ``floor``: the bare Django 204 view, as fast as each virtual user can go (closed loop);
- ``completion``: edx-completion's batch API, one block completion per request, closed loop;
- ``heartbeat``: simulated learners (``learner.py``); each virtual user (one keep-alive connection)
  plays a pool of learners, sending each learner's next request when it is due on the server clock.
  With more learners than the server can serve, requests fall behind schedule and the phase
  measures the sustained maximum; with fewer, it measures latency at that offered rate.

Only requests that complete inside the measurement window (after the warm-up) are counted. CPU
time of the server processes is read from ``/proc`` at the window's edges.
"""

from __future__ import annotations

import heapq
import json
import random
import sys
import time
from array import array
from pathlib import Path
from typing import Any

import gevent
from locust import FastHttpUser, constant, task
from locust.env import Environment
from locust.exception import StopUser

from benchmarks.clock import real_seconds, server_time

from .learner import Block, Learner, Mix
from .procstat import cpu_seconds

CONFIG: dict[str, Any] = {}
STATE: dict[str, Any] = {"stopping": False, "pool": [], "learners": [], "idle": 0.0, "late": array("d")}


class Window:
    """Counts and latencies of requests that complete between ``start`` and ``end``."""

    def __init__(self, start: float, end: float) -> None:
        self.start, self.end = start, end
        self.latency: dict[str, array[float]] = {}
        self.errors: dict[str, int] = {}
        self.samples: list[str] = []
        self.total: dict[str, int] = {}

    def on_request(self, name: str, response_time: float, exception: Any = None, **_kw: Any) -> None:
        """Locust's ``request`` event."""
        self.total[name] = self.total.get(name, 0) + 1
        if exception is not None:
            self.errors[name] = self.errors.get(name, 0) + 1
            if len(self.samples) < 10:
                self.samples.append(f"{name}: {exception!r}"[:300])
        now = time.time()
        if self.start <= now <= self.end:
            self.latency.setdefault(name, array("d")).append(response_time)

    def in_window(self, now: float) -> bool:
        """Whether ``now`` is inside the window."""
        return self.start <= now <= self.end


class Base(FastHttpUser):
    """Shared set-up: no cookie jar (every simulated browser sends its own cookies)."""

    abstract = True
    wait_time = constant(0)
    network_timeout = 30.0
    connection_timeout = 10.0

    def on_start(self) -> None:
        """Drop locust's shared cookie jar."""
        self.client.client.cookiejar = None

    @staticmethod
    def headers(learner: dict[str, Any]) -> dict[str, str]:
        """What a signed-in browser sends with a JSON POST."""
        return {
            "Cookie": f"sessionid={learner['session']}; csrftoken={learner['csrf']}",
            "X-CSRFToken": learner["csrf"],
            "Content-Type": "application/json",
        }

    def check_stop(self) -> None:
        """End this virtual user when the phase is over."""
        if STATE["stopping"]:
            raise StopUser()


class FloorUser(Base):
    """The framework's floor: POST a heartbeat-sized body to a view that returns 204."""

    @task
    def floor(self) -> None:
        self.check_stop()
        learner = random.choice(CONFIG["learners"])
        body = {"token": "v1." + "x" * 60, "seq": 1, "position": 1.0, "playing": True, "visible": True}
        self.client.post("/bench/floor", data=json.dumps(body), headers=self.headers(learner), name="floor")


class CompletionUser(Base):
    """edx-completion's batch API: the learner's progress in one block, a new value each time."""

    @task
    def completion(self) -> None:
        self.check_stop()
        learner = random.choice(CONFIG["learners"])
        block = random.choice(CONFIG["blocks"])
        body = {
            "username": learner["username"],
            "course_key": block["course"],
            "blocks": {block["usage"]: round(random.uniform(0.01, 1.0), 3)},
        }
        self.client.post(
            "/api/completion/v1/completion-batch",
            data=json.dumps(body),
            headers=self.headers(learner),
            name="completion",
        )


class LearnersUser(Base):
    """One connection carrying a pool of simulated learners, each on its own schedule."""

    def on_start(self) -> None:
        super().on_start()
        pool: list[tuple[Learner, dict[str, Any]]] = STATE["pool"]
        size = CONFIG["learners_per_user"]
        mine, STATE["pool"] = pool[:size], pool[size:]
        now = server_time()
        self.heap: list[tuple[float, int, Learner, dict[str, Any]]] = []
        for learner, spec in mine:
            learner.start(now)
            heapq.heappush(self.heap, (learner.next_due(), learner.user_id, learner, spec))

    @task
    def step(self) -> None:
        self.check_stop()
        if not self.heap:
            gevent.sleep(0.25)
            return
        due, _uid, learner, spec = self.heap[0]
        wait = real_seconds(due - server_time())
        if wait > 0:
            nap = min(wait, 0.25)
            if WINDOW.in_window(time.time()):
                STATE["idle"] += nap
            gevent.sleep(nap)
            return
        heapq.heappop(self.heap)
        now = server_time()
        if WINDOW.in_window(time.time()):
            STATE["late"].append(now - due)
        call = learner.next_call(now)
        with self.client.post(
            call.path,
            data=json.dumps(call.body),
            headers=self.headers(spec),
            name=call.name,
            catch_response=True,
        ) as response:
            body = reply_body(response)
            if response.status_code == 200 or expected_refusal(call.name, response.status_code or 0, body):
                response.success()
            else:
                response.failure(f"HTTP {response.status_code}")
        learner.on_reply(call, response.status_code or 0, body, server_time())
        heapq.heappush(self.heap, (learner.next_due(), learner.user_id, learner, spec))


def reply_body(response: Any) -> dict[str, Any] | None:
    """The JSON object of a reply, whatever its status (a refusal's body says what to do next)."""
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def expected_refusal(name: str, status: int, body: dict[str, Any] | None) -> bool:
    """A late answer to "still there?" is refused with the replacement code: the protocol, not an error."""
    return name == "answer" and status == 400 and bool((body or {}).get("challenge"))


WINDOW = Window(0, 0)
KINDS = {"floor": FloorUser, "completion": CompletionUser, "heartbeat": LearnersUser}


def percentile(values: array[float], q: float) -> float | None:
    """The ``q`` quantile (nearest rank) of ``values``, ``None`` when empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def build_learners(config: dict[str, Any]) -> None:
    """One ``Learner`` per prepared account, seeded so runs are repeatable."""
    blocks = [Block(b["course"], b["usage"], float(b["duration"])) for b in config["blocks"]]
    mix = Mix(**config.get("mix", {}))
    read_code = None
    if config.get("challenge_key"):
        from functools import partial

        from xueshi_studytime.challenges import code_under

        read_code = partial(code_under, bytes.fromhex(config["challenge_key"]))
    for spec in config["learners"]:
        learner = Learner(
            spec["user_id"], blocks, random.Random(config["seed"] * 1_000_003 + spec["user_id"]), mix
        )
        learner.read_code = read_code
        STATE["learners"].append(learner)
        STATE["pool"].append((learner, spec))


def reset() -> None:
    """Forget the previous phase."""
    CONFIG.clear()
    STATE.update(stopping=False, pool=[], learners=[], idle=0.0, late=array("d"), flusher_cpu=0.0)


def run(config: dict[str, Any]) -> dict[str, Any]:
    """Run one phase; return its result."""
    global WINDOW
    reset()
    CONFIG.update(config)
    kind, users = config["kind"], int(config["users"])
    if kind == "heartbeat":
        build_learners(config)
        CONFIG["learners_per_user"] = -(-len(config["learners"]) // users)
    WINDOW = Window(float("inf"), float("inf"))
    env = Environment(user_classes=[KINDS[kind]], host=config["host"])
    env.events.request.add_listener(WINDOW.on_request)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=min(100, max(users, 1)))
    # Learners arrive within one heartbeat interval, all opening a session first: the window opens
    # once every one of them has opened, plus the warm-up (two heartbeat intervals of steady beating).
    deadline = time.time() + config.get("open_timeout", 300)
    while any(not learner.opened for learner in STATE["learners"]) and time.time() < deadline:
        gevent.sleep(0.2)
    start = time.time() + config["warmup"]
    WINDOW.start, WINDOW.end = start, start + config["duration"]
    gevent.sleep(max(0.0, WINDOW.start - time.time()))
    pids, flusher = config.get("pids", []), config.get("flusher_pids", [])
    cpu_start, flusher_start = cpu_seconds(pids), cpu_seconds(flusher)
    gevent.sleep(max(0.0, WINDOW.end - time.time()))
    cpu_end, flusher_end = cpu_seconds(pids), cpu_seconds(flusher)
    STATE["flusher_cpu"] = flusher_end - flusher_start
    STATE["stopping"] = True
    deadline = time.time() + 30
    while runner.user_count and time.time() < deadline:
        gevent.sleep(0.1)
    runner.quit()
    return summarize(config, cpu_end - cpu_start)


def summarize(config: dict[str, Any], cpu: float) -> dict[str, Any]:
    """Throughput, latency percentiles, errors, CPU, and (heartbeats) the learners' records."""
    names = sorted(set(WINDOW.latency) | set(WINDOW.errors))
    duration = WINDOW.end - WINDOW.start
    per_name = {}
    for name in names:
        lat = WINDOW.latency.get(name, array("d"))
        per_name[name] = {
            "count": len(lat),
            "per_second": len(lat) / duration,
            "p50_ms": percentile(lat, 0.50),
            "p95_ms": percentile(lat, 0.95),
            "p99_ms": percentile(lat, 0.99),
            "mean_ms": (sum(lat) / len(lat)) if lat else None,
            "errors": WINDOW.errors.get(name, 0),
            "total": WINDOW.total.get(name, 0),
        }
    late = STATE["late"]
    return {
        "phase": config["phase"],
        "kind": config["kind"],
        "users": config["users"],
        "learners": len(config["learners"]) if config["kind"] == "heartbeat" else 0,
        "window": [WINDOW.start, WINDOW.end],
        "duration": duration,
        "requests": per_name,
        "error_samples": WINDOW.samples,
        "server_cpu_seconds": cpu,
        "flusher_cpu_seconds": STATE.get("flusher_cpu", 0.0),
        "idle_fraction": STATE["idle"] / (duration * int(config["users"])),
        "lateness_p50_s": percentile(late, 0.5),
        "lateness_p99_s": percentile(late, 0.99),
        "records": [learner.record() for learner in STATE["learners"]],
    }


def main() -> None:
    """Entry point: phase configs on stdin, one JSON object per line; ``done`` on stdout after each."""
    for line in sys.stdin:
        if not line.strip():
            continue
        config = json.loads(line)
        Path(config["out"]).write_text(json.dumps(run(config)))
        print("done", flush=True)


if __name__ == "__main__":
    main()
