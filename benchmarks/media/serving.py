"""How many learners one core of media serving sustains through Tutor's delivery path (issue 24).

``python -m benchmarks.media.serving [--smoke] [options]`` (``make bench-media``; the suite runs
the smoke):

1. prepares the benchmark database (migrations, the demo course, learners with passwords and
   real-name profiles) and a real ladder: a generated lecture uploaded and transcoded by the media
   app's own pipeline (4 s segments, AES-128), played by the demo's first video lesson;
2. renders Tutor's config with the real ``tutor`` CLI and starts, pinned to the server's CPUs,
   uWSGI with Tutor's ``uwsgi.ini`` and the media settings Tutor writes
   (``XUESHI_MEDIA_ACCEL_REDIRECT_PREFIX``), the public Caddy with the rendered Caddyfile (its
   ``X-Accel-Redirect`` intercept) plus one plain site, and the private file server with the
   ``xueshi-media-files`` command; the load generator runs on the other CPUs;
3. at rising numbers of learners, runs two phases side by side: ``guarded`` (signed-in learners,
   playback sessions, signed playlists, Django checks every segment and Caddy sends it) and
   ``plain`` (the same files from the same Caddy, no check); each kind stops at its first step
   that breaks the target (segment TTFB p95 < 1 s, no error, the players' pace kept);
4. writes ``result.json`` and ``summary.md`` and prints the summary.

Time is compressed (``--clock-factor``): a simulated player asks for that many learners'
segments, one per 4 s of their time, and the ledger's clock runs as fast. It exits non-zero when
the run is not valid (a smoke phase with failures, or no segment measured).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.heartbeat import placement
from benchmarks.heartbeat.processes import REPO, create_database, log
from benchmarks.heartbeat.run import challenge_key, environment, forget_redis_keys
from benchmarks.path.run import Generator

from . import report


def options(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options; ``--smoke`` shrinks the run to seconds."""
    p = argparse.ArgumentParser(prog="python -m benchmarks.media.serving", description=__doc__.split("\n")[0])
    p.add_argument("--smoke", action="store_true", help="one small step of each kind (the suite runs this)")
    p.add_argument("--db-url", default="mysql://root@127.0.0.1:3306/xueshi_bench_serve")
    p.add_argument("--redis-url", default="redis://127.0.0.1:6379/12")
    p.add_argument("--no-migrate", action="store_true", help="the database's tables exist already")
    p.add_argument("--workers", type=int, default=2, help="uWSGI worker processes (Tutor: 2)")
    p.add_argument("--steps", default="250,350,500,750,1000,1500,2000,3000,4000,6000",
                   help="learners at once, per step (both kinds, each until it breaks)")  # fmt: skip
    p.add_argument("--step-seconds", type=float, default=30.0, help="measured seconds per phase")
    p.add_argument("--ramp", type=float, default=8.0, help="seconds to start a phase's players")
    p.add_argument("--warmup", type=float, default=5.0, help="seconds after the ramp before measuring")
    p.add_argument("--clock-factor", type=float, default=50.0, help="learners' seconds per real second")
    p.add_argument("--source", default="1280x720:48", help="WxH:seconds of the generated lecture")
    p.add_argument("--no-noise", action="store_true", help="the bare test pattern (tiny segments)")
    p.add_argument("--accounts", type=int, default=0, help="learner accounts (default: the most players)")
    p.add_argument("--server-cpus", default="auto", help="CPUs of the server: auto (half), none, or a list")
    p.add_argument("--out", default="", help="output folder (default var/bench/media-<time>)")
    args = p.parse_args(argv)
    if args.smoke:
        args.steps, args.step_seconds, args.ramp, args.warmup = "40", 2.0, 0.5, 0.5
        args.clock_factor, args.source, args.no_noise = 20.0, "640x360:4", True
    args.step_list = [int(s) for s in str(args.steps).split(",") if s.strip()]
    args.server, args.threads, args.server_timing = "uwsgi", 1, True
    return args


def migrated(args: argparse.Namespace) -> None:
    """Django in this process with the run's settings, on a database whose tables exist."""
    if not args.no_migrate:
        create_database(args.db_url)
    import django

    django.setup()
    from benchmarks.heartbeat import prepare as heartbeat_prepare

    if not args.no_migrate:
        heartbeat_prepare.migrate()


def prepare(args: argparse.Namespace, run_id: str, out: Path) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """Demo course, learners and the ladder (while uWSGI starts: it reads them only when asked)."""
    from benchmarks.path import prepare as path_prepare

    from . import ladder

    course = ladder.seed_demo()
    size, seconds = args.source.split(":")
    made = ladder.ensure(out / "source", seconds=int(seconds), size=size, noisy=not args.no_noise)
    players = math.ceil(max(args.step_list) / args.clock_factor)
    learners = path_prepare.make_learners(f"media-{run_id}", args.accounts or players, course)
    return {**made, "course": course}, learners


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return 0 when the run is valid."""
    args = options(argv)
    run_id = time.strftime("%Y%m%d-%H%M%S")
    out = Path(args.out or REPO / "var" / "bench" / f"media-{run_id}").resolve()
    out.mkdir(parents=True, exist_ok=True)
    shared = environment(args, run_id)
    shared["DJANGO_SETTINGS_MODULE"] = "benchmarks.media.settings"
    # The smoke's ladder lives with its output; a full run keeps one ladder for every run.
    root = out / "media" if args.smoke else REPO / "var" / "bench" / "media-root"
    shared["XUESHI_BENCH_MEDIA_ROOT"] = str(root.resolve())
    env = {**os.environ, **shared}
    os.environ.update(shared)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    migrated(args)
    root.mkdir(parents=True, exist_ok=True)
    place = placement.parse(args.server_cpus)
    from .stack import Stack

    stack = Stack(args, env, out, place)
    generator = Generator(out, env, place, "benchmarks.media.load")
    results: dict[str, Any] = {"args": vars(args), "machine": report.machine()}
    try:
        made, learners = prepare(args, run_id, out)
        note = (
            f"{args.source} {'test pattern' if args.no_noise else 'with moving noise'}, renditions "
            f"{', '.join(made['renditions'])}; players fetch {made['rendition']} "
            f"({sum(made['segment_bytes']) / len(made['segment_bytes']) / 1e6:.2f} MB per 4 s segment)"
        )
        log(f"database ready: {len(learners)} learners; ladder {note}")
        results.update(ladder=made, placement=place.describe(), ladder_note=note, phases=[])
        stack.wait_ready()
        log("uWSGI and Caddy ready")
        base = {
            **made,
            "accounts": learners,
            "clock_factor": args.clock_factor,
            "segment_seconds": 4.0,
            "heartbeat_seconds": 30.0,
            "challenge_key": challenge_key(),
            "pids": stack.pids(),
            "ramp": args.ramp,
            "warmup": args.warmup,
            "duration": args.step_seconds,
        }
        broken: set[str] = set()
        for count in args.step_list:
            for kind, host in (("guarded", stack.guarded_url), ("plain", stack.plain_url)):
                if kind in broken:
                    continue
                users = max(1, math.ceil(count / args.clock_factor))
                config = {**base, "kind": kind, "host": host, "users": users, "learners": count}
                phase = generator.run(config, f"{config['kind']}-{config['learners']}")
                phase["django_time_s"] = report.django_share(out / "access.log", tuple(phase["window"]))
                phase["figures"] = report.phase_figures(phase, 4.0, args.clock_factor)
                results["phases"].append(phase)
                log(report.line(phase))
                if not phase["figures"]["ok"]:
                    broken.add(kind)
            if broken == {"guarded", "plain"}:
                break
    finally:
        generator.stop()
        stack.stop()
    results["redis_keys_deleted"] = forget_redis_keys(shared["XUESHI_BENCH_PREFIX"])
    results["summary"] = report.summarize(results["phases"], cores=len(place.server) or os.cpu_count() or 1)
    (out / "result.json").write_text(json.dumps(results, indent=1, default=str))
    text = report.markdown(results)
    (out / "summary.md").write_text(text)
    print(text)
    measured = all(p["figures"]["segments"] for p in results["phases"]) and bool(results["phases"])
    failed = args.smoke and any(p["failures"] for p in results["phases"])
    return 0 if measured and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
