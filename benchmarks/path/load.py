"""The load generator of a path run: locust (headless, as a library) at rising numbers of learners.

``python -m benchmarks.path.load`` reads one step config (JSON) per line on stdin. The first line
also sets the journey's shared config (course, units, accounts). For each step the runner grows to
the step's number of learners (users already running keep their evening going), waits out the
warm-up, resets locust's statistics, measures for ``duration`` seconds, and writes per-name figures
(requests, failures, mean, p50/p95/p99) with the server processes' CPU seconds to the step's
``out`` file, then prints ``done``. Only requests completing inside the window are counted.
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

from . import journey

PERCENTILES = (0.5, 0.95, 0.99)


def figures(env: Environment, seconds: float) -> dict[str, Any]:
    """Per-name figures from locust's statistics, and the totals."""
    rows: dict[str, Any] = {}
    for (name, _method), entry in env.stats.entries.items():
        if not entry.num_requests and not entry.num_failures:
            continue
        row = rows.setdefault(name, {"requests": 0, "failures": 0, "mean_ms": 0.0})
        total = row["requests"] + entry.num_requests
        if total:
            row["mean_ms"] = (
                row["mean_ms"] * row["requests"] + entry.avg_response_time * entry.num_requests
            ) / total
        row["requests"], row["failures"] = total, row["failures"] + entry.num_failures
        for q in PERCENTILES:
            row[f"p{round(q * 100)}_ms"] = (
                entry.get_response_time_percentile(q) if entry.num_requests else None
            )
        row["per_s"] = round(row["requests"] / seconds, 2)
    total = env.stats.total
    errors = [f"{e.name}: {e.error}"[:200] for e in list(env.stats.errors.values())[:10]]
    return {
        "names": rows,
        "requests": total.num_requests,
        "failures": total.num_failures,
        "mean_ms": total.avg_response_time,
        "p99_ms": total.get_response_time_percentile(0.99) if total.num_requests else None,
        "error_samples": errors,
    }


def run_step(env: Environment, config: dict[str, Any]) -> dict[str, Any]:
    """Grow to ``config['learners']`` users, warm up, measure ``config['duration']`` seconds."""
    assert env.runner is not None
    users = int(config["learners"])
    env.runner.start(users, spawn_rate=max(1.0, users / max(1.0, float(config.get("ramp", 5.0)))))
    gevent.sleep(float(config.get("ramp", 5.0)) + float(config.get("warmup", 5.0)))
    env.stats.reset_all()
    pids = [int(p) for p in config.get("pids", [])]
    cpu_before, start = cpu_seconds(pids), time.time()
    if config.get("until_evenings"):  # the smoke: until each learner has had a whole evening
        deadline = start + float(config["duration"])
        while journey.FINISHED["evenings"] < users and time.time() < deadline:
            gevent.sleep(0.5)
    else:
        gevent.sleep(float(config["duration"]))
    seconds = time.time() - start
    result = figures(env, seconds)
    result.update(
        learners=users,
        seconds=round(seconds, 2),
        window=[start, start + seconds],
        server_cpu_s=round(cpu_seconds(pids) - cpu_before, 3),
        evenings=journey.FINISHED["evenings"],
    )
    return result


def main() -> int:
    """Serve step configs from stdin until it closes."""
    env: Environment | None = None
    for line in sys.stdin:
        config = json.loads(line)
        if env is None:
            journey.CONFIG.update(config)
            env = Environment(user_classes=[journey.PathLearner], host=config["host"])
            env.create_local_runner()
        result = run_step(env, config)
        Path(config["out"]).write_text(json.dumps(result))
        print("done", flush=True)
    if env is not None and env.runner is not None:
        env.runner.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
