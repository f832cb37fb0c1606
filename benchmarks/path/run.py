"""The runner of the whole-path benchmark (issue 23): one command serves the sandbox as Tutor does,
drives it with learners' evenings at rising numbers of learners, and reports per page and per API.

``python -m benchmarks.path [--smoke] [options]`` (``make bench-path`` / the smoke in the suite):

1. prepares the benchmark database (migrations, the demo course and its question bank, learners
   with passwords and real-name profiles) and collects static files;
2. starts uWSGI with Tutor's own ``uwsgi.ini`` (its static map serving the collected files, as in
   Tutor's image), a ledger flusher (Celery beat's job) and a load generator on the other CPUs;
3. for each step of ``--steps`` learners: ramps up, warms up, measures; records per-name figures
   and the server's CPU seconds;
4. writes ``result.json`` and ``summary.md`` (per-page table, the learners one core holds while the
   mean stays ≤ 1 s and p99 ≤ 5 s) and prints the summary.

It exits non-zero when the run is not valid (a step with failed requests, or a page without
figures); thresholds missed are findings, reported, not raised.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.heartbeat import placement
from benchmarks.heartbeat.processes import REPO, Server, create_database, log
from benchmarks.heartbeat.run import challenge_key, environment, forget_redis_keys

from . import report


def options(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options; ``--smoke`` shrinks the run to seconds."""
    p = argparse.ArgumentParser(prog="python -m benchmarks.path", description=__doc__.split("\n")[0])
    p.add_argument(
        "--smoke", action="store_true", help="two small steps of a few seconds (the suite runs this)"
    )
    p.add_argument("--db-url", default="mysql://root@127.0.0.1:3306/xueshi_bench_path")
    p.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    p.add_argument("--no-migrate", action="store_true", help="the database's tables exist already")
    p.add_argument(
        "--server", default="uwsgi", choices=["uwsgi", "gunicorn"], help="uwsgi: Tutor 22's LMS server"
    )
    p.add_argument("--workers", type=int, default=2, help="worker processes (Tutor: 2)")
    p.add_argument("--threads", type=int, default=1, help="threads per worker (Tutor: 1)")
    p.add_argument("--worker-class", default="gthread", choices=["gthread", "sync"], help="gunicorn only")
    p.add_argument("--steps", default="10,20,40,80,120", help="learners at once, per step")
    p.add_argument("--step-seconds", type=float, default=120.0, help="measured seconds per step")
    p.add_argument("--ramp", type=float, default=10.0, help="seconds to add each step's new learners")
    p.add_argument("--warmup", type=float, default=20.0, help="seconds after each ramp before measuring")
    p.add_argument("--think-scale", type=float, default=0.5, help="multiplies a person's think times")
    p.add_argument("--clock-factor", type=float, default=10.0, help="server seconds per real second")
    p.add_argument("--beats-per-video", type=int, default=6, help="heartbeats per lesson watched")
    p.add_argument("--accounts", type=int, default=0, help="learner accounts (default: 3 × the largest step)")
    p.add_argument("--server-cpus", default="auto", help="CPUs of the server: auto (half), none, or a list")
    p.add_argument("--server-timing", action=argparse.BooleanOptionalAction, default=True)
    p.add_argument("--out", default="", help="output folder (default var/bench/path-<time>)")
    args = p.parse_args(argv)
    if args.smoke:
        # One small step measured from the first request until every learner has finished an
        # evening (at most --step-seconds), so every page is in it.
        args.steps, args.step_seconds, args.warmup, args.ramp = "3", 180.0, 0.0, 1.0
        args.think_scale, args.clock_factor, args.beats_per_video = 0.01, 30.0, 2
    args.step_list = [int(s) for s in str(args.steps).split(",") if s.strip()]
    args.accounts = args.accounts or 3 * max(args.step_list)
    return args


def collect_static(out: Path) -> Path:
    """``collectstatic`` into the run's folder: what Tutor's image serves from ``/openedx/staticfiles``."""
    from django.conf import settings
    from django.core.management import call_command

    root = out / "static"
    settings.STATIC_ROOT = str(root)
    call_command("collectstatic", interactive=False, verbosity=0)
    return root


class Generator:
    """A locust process (``module``), fed one step at a time over its stdin; the media benchmark's too."""

    def __init__(
        self, out: Path, env: dict[str, str], place: placement.Placement, module: str = "benchmarks.path.load"
    ) -> None:
        self.out = out
        self.process = subprocess.Popen(
            [sys.executable, "-m", module],
            cwd=REPO,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            preexec_fn=place.for_generator(),
        )

    def run(self, config: dict[str, Any], name: str) -> dict[str, Any]:
        """Run one step; its figures from ``<out>/<name>.json``, which the generator writes."""
        out = self.out / f"{name}.json"
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps({**config, "out": str(out)}) + "\n")
        self.process.stdin.flush()
        if self.process.stdout.readline().strip() != "done":
            raise SystemExit(f"the load generator failed at {name}")
        result: dict[str, Any] = json.loads(out.read_text())
        return result

    def step(self, config: dict[str, Any]) -> dict[str, Any]:
        """One rising step of learners."""
        return self.run(config, f"step-{config['learners']}")

    def stop(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            self.process.kill()


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return 0 when the run is valid."""
    args = options(argv)
    run_id = time.strftime("%Y%m%d-%H%M%S")
    out = Path(args.out or REPO / "var" / "bench" / f"path-{run_id}")
    out.mkdir(parents=True, exist_ok=True)
    (out / "flusher.drain").unlink(missing_ok=True)
    shared = environment(args, run_id)
    env = {**os.environ, **shared}
    os.environ.update(shared)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if not args.no_migrate:
        create_database(args.db_url)
    import django

    django.setup()
    from benchmarks.heartbeat import prepare as heartbeat_prepare

    from . import prepare

    if not args.no_migrate:
        heartbeat_prepare.migrate()
    course = prepare.seed_demo()
    learners = prepare.make_learners(f"path-{run_id}", args.accounts, course["course"])
    args.static_map = f"/static={collect_static(out).resolve()}"
    log(f"database ready: {len(learners)} learners; static files collected")
    place = placement.parse(args.server_cpus)
    server = Server(args, env, out, place)
    flusher = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "benchmarks.heartbeat.flusher",
            str(out / "flusher.json"),
            repr(5.0 / args.clock_factor),
        ],
        cwd=REPO,
        env=env,
        preexec_fn=place.for_flusher(),
    )
    generator = Generator(out, env, place)
    results: dict[str, Any] = {"args": vars(args), "machine": report.machine()}
    results["placement"] = place.describe()
    try:
        server.wait_ready()
        workers = [pid for name, pid in server.pids().items() if not name.endswith("-master")]
        base = {
            **course,
            "host": server.url,
            "accounts": learners,
            "seed": 7,
            "clock_factor": args.clock_factor,
            "think_scale": args.think_scale,
            "beats_per_video": args.beats_per_video,
            "challenge_key": challenge_key(),
            "pids": [server.process.pid, *workers],
            "warmup": args.warmup,
            "ramp": args.ramp,
            "until_evenings": args.smoke,
            "duration": args.step_seconds,
        }
        results["steps"] = []
        for count in args.step_list:
            step = generator.step({**base, "learners": count})
            results["steps"].append(step)
            log(report.step_line(step))
    finally:
        generator.stop()
        (out / "flusher.drain").touch()
        server.stop()
        flusher.wait(timeout=600)
    if args.server_timing:
        for step in results["steps"]:
            step["server"] = report.server_times(out / "access.log", tuple(step["window"]))
    results["redis_keys_deleted"] = forget_redis_keys(shared["XUESHI_BENCH_PREFIX"])
    results["summary"] = report.summarize(results, cores=len(place.server) or os.cpu_count() or 1)
    (out / "result.json").write_text(json.dumps(results, indent=1, default=str))
    text = report.markdown(results)
    (out / "summary.md").write_text(text)
    print(text)
    return 0 if results["summary"]["valid"] else 1
