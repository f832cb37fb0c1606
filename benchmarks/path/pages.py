"""Per page: SQL queries and CPU milliseconds of one request, in one process (issue 23's profile step).

``python -m benchmarks.path.pages [--repeats N] [--profile DIR]`` signs one learner in through the
login form with Django's test client on the benchmark settings (the sandbox as production runs it)
and requests each page and API of the path ``repeats`` times. For each it reports the queries of
one request (the same every time, or the page has a cache that the first request fills), the
median CPU milliseconds of this process (what neighbours on a shared machine cannot inflate) and
the median wall milliseconds. A page whose queries grow with what the learner has done is an N+1;
``--profile`` writes a cProfile of each page for the rest.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.heartbeat.processes import REPO, create_database


def measure(call: Any, repeats: int, profile: Path | None) -> dict[str, Any]:
    """Queries of each request, median CPU and wall ms over ``repeats`` (after one warm-up)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()  # warm-up: imports, template compilation, per-process caches
    queries, cpu, wall, status = [], [], [], 0
    profiler = cProfile.Profile() if profile else None
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as captured:
            c0, w0 = time.process_time(), time.perf_counter()
            if profiler:
                profiler.enable()
            status = call()
            if profiler:
                profiler.disable()
            cpu.append((time.process_time() - c0) * 1000)
            wall.append((time.perf_counter() - w0) * 1000)
        queries.append(len(captured.captured_queries))
    if profiler and profile:
        profiler.dump_stats(str(profile))
    return {
        "status": status,
        "queries": max(queries),
        "queries_min": min(queries),
        "cpu_ms": round(statistics.median(cpu), 2),
        "wall_ms": round(statistics.median(wall), 2),
    }


def pages(course: dict[str, Any], client: Any) -> dict[str, Any]:
    """What the path asks for, as callables returning the status (each may be repeated)."""
    handler = "/courses/{}/xblock/{}/handler/{}".format

    def post(path: str, body: dict[str, Any]) -> Any:
        return client.post(path, data=json.dumps(body), content_type="application/json")

    video, practice, exam = course["study_videos"][0], course["practice"], course["exam"]
    opened = post(handler(course["course"], video, "open_session"), {"client": "web"}).json()
    state = {"seq": 0}
    started = post(handler(course["course"], practice, "start"), {}).json()["round"]

    def beat() -> int:
        state["seq"] += 1
        body = {"token": opened["token"], "seq": state["seq"], "position": 0.0, "playing": True,
                "visible": True, "rate": 1.0, "event": "tick"}  # fmt: skip
        return int(post("/api/xueshi/studytime/v1/heartbeats", body).status_code)

    checkpoint_id = course["checkpoint"][0]
    first = started["questions"][0]["view"]
    first_answer = {
        "round_id": started["id"],
        "version_id": first["version_id"],
        "answer": (first["options"] or [{"key": "A"}])[0]["key"],
    }
    return {
        "dashboard": lambda: client.get("/").status_code,
        "course page": lambda: client.get(f"/courses/{course['course']}/").status_code,
        "unit page (video)": lambda: client.get(f"/xblock/{video}").status_code,
        "unit page (practice)": lambda: client.get(f"/xblock/{practice}").status_code,
        "unit page (exam)": lambda: client.get(f"/xblock/{exam}").status_code,
        "open_session": lambda: (
            post(handler(course["course"], video, "open_session"), {"client": "web"}).status_code
        ),
        "heartbeat": beat,
        "checkpoint question": lambda: (
            post(
                handler(course["course"], course["checkpoint_video"], "checkpoint_question"),
                {"checkpoint_id": checkpoint_id},
            ).status_code
        ),
        "practice: state": lambda: post(handler(course["course"], practice, "state"), {}).status_code,
        "practice: answer (refused: already answered)": lambda: (
            post(handler(course["course"], practice, "answer"), first_answer).status_code
        ),
        "my hours": lambda: client.get("/xueshi/hours/").status_code,
        "learning archive": lambda: client.get("/xueshi/hours/archive/").status_code,
        "my certificates": lambda: client.get("/xueshi/certificates/").status_code,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.path.pages", description=__doc__.split("\n")[0])
    p.add_argument("--db-url", default="mysql://root@127.0.0.1:3306/xueshi_bench_path")
    p.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    p.add_argument("--repeats", type=int, default=20)
    p.add_argument("--profile", default="", help="a folder for one cProfile file per page")
    p.add_argument("--json", default="", help="write the figures here too")
    args = p.parse_args(argv)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="benchmarks.settings", XUESHI_SETTINGS_TYPE="production",
        XUESHI_DB_URL=args.db_url, XUESHI_REDIS_URL=args.redis_url,
        XUESHI_BENCH_PREFIX=f"xst-pages-{os.getpid()}",
    )  # fmt: skip
    create_database(args.db_url)
    import django

    django.setup()
    from django.test import Client

    from benchmarks.heartbeat.prepare import migrate

    from . import prepare

    migrate()
    course = prepare.seed_demo()
    (account,) = prepare.make_learners(f"pages-{os.getpid()}", 1, course["course"])
    browser = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36"}

    def sign_in() -> int:  # a new browser each time: a sign-in replaces the account's other device
        return int(Client(**browser).post("/login/", {**account, "next": "/"}).status_code)

    results = {"sign-in (password form)": measure(sign_in, max(3, args.repeats // 5), None)}
    client = Client(**browser)
    client.post("/login/", {**account, "next": "/"})
    profile_dir = Path(args.profile) if args.profile else None
    if profile_dir:
        profile_dir.mkdir(parents=True, exist_ok=True)
    for name, call in pages(course, client).items():
        target = (
            profile_dir / f"{name.split(' (')[0].replace(' ', '-').replace(':', '')}.prof"
            if profile_dir
            else None
        )
        results[name] = measure(call, args.repeats, target)
    print(f"commit {REPO.name}; {args.repeats} repeats; CPU and wall are medians of one request")
    print("| page / API | status | queries | CPU ms | wall ms |")
    print("|---|---|---|---|---|")
    for name, row in results.items():
        queries = str(row["queries"]) + (
            "" if row["queries"] == row["queries_min"] else f" ({row['queries_min']}–)"
        )
        print(f"| {name} | {row['status']} | {queries} | {row['cpu_ms']} | {row['wall_ms']} |")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
