"""The load generator of a serving run: locust (headless, as a library), one phase at a time.

``python -m benchmarks.media.load`` reads one phase config (JSON) per line on stdin: ``kind``
(``guarded`` or ``plain``), ``users``, ``host``, ``ramp``, ``warmup``, ``duration``, the server's
process ids by group, and ``out``. The first line also sets the players' shared config (course,
lesson, accounts, segments, clock factor). For each phase it starts the users, waits out the ramp
and until every player plays (sign-ins, sessions, playlists: not measured), then the warm-up,
resets the statistics, measures, stops the users, writes per-name figures with the server's CPU
seconds per group and the late segments, then prints ``done``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import gevent
from locust.env import Environment

from benchmarks.heartbeat.procstat import cpu_seconds
from benchmarks.path.load import figures

from . import player

KINDS = {"guarded": player.GuardedLearner, "plain": player.PlainLearner}


def run_phase(env: Environment, config: dict[str, Any]) -> dict[str, Any]:
    """Start ``config['users']``, warm up, measure ``config['duration']`` seconds, stop."""
    assert env.runner is not None
    users = int(config["users"])
    ramp = float(config.get("ramp", 5.0))
    player.COUNTS.update(playing=0, gave_up=0)
    env.runner.start(users, spawn_rate=max(1.0, users / max(0.5, ramp)))
    gevent.sleep(ramp)
    # Sign-ins and sessions are not what is measured: wait until every player plays (or gave up).
    deadline = time.monotonic() + 120
    while player.COUNTS["playing"] + player.COUNTS["gave_up"] < users and time.monotonic() < deadline:
        gevent.sleep(0.2)
    gevent.sleep(float(config.get("warmup", 5.0)))
    env.stats.reset_all()
    player.COUNTS.update(late=0, scheduled=0, bytes=0)
    groups: dict[str, list[int]] = config.get("pids", {})
    before = {name: cpu_seconds(pids) for name, pids in groups.items()}
    generator_before, start = time.process_time(), time.time()
    gevent.sleep(float(config["duration"]))
    seconds = time.time() - start
    result = figures(env, seconds)
    result.update(
        kind=config["kind"],
        users=users,
        learners=round(users * float(player.CONFIG.get("clock_factor", 1.0))),
        seconds=round(seconds, 2),
        window=[start, start + seconds],
        cpu_s={name: round(cpu_seconds(pids) - before[name], 3) for name, pids in groups.items()},
        generator_cpu_s=round(time.process_time() - generator_before, 3),
        late=player.COUNTS["late"],
        scheduled=player.COUNTS["scheduled"],
        bytes=player.COUNTS["bytes"],
        start_failures=player.START_FAILURES[-10:],
        playing=player.COUNTS["playing"],
        gave_up=player.COUNTS["gave_up"],
    )
    player.START_FAILURES.clear()
    env.runner.stop()
    gevent.sleep(0.5)
    return result


def main() -> int:
    """Serve phase configs from stdin until it closes."""
    envs: dict[str, Environment] = {}
    for line in sys.stdin:
        config = json.loads(line)
        if not player.CONFIG:
            player.CONFIG.update(config)
        kind = config["kind"]
        if kind not in envs:
            envs[kind] = Environment(user_classes=[KINDS[kind]], host=config["host"])
            envs[kind].create_local_runner()
        result = run_phase(envs[kind], config)
        Path(config["out"]).write_text(json.dumps(result))
        print("done", flush=True)
    for env in envs.values():
        if env.runner is not None:
            env.runner.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
