"""``python -m benchmarks.stats``: a province's drill-down and export at N learners (issue 20).

Seeds ``--learners`` learners (``seed.py``) into the benchmark database, then, as a provincial
supervisor through the real views (Django's test client, the JSON twins), times the province
dashboard, a city's and a county's drill-down and a page of a city's and a county's learners
(median, mean, p95, p99 of ``--repeat``) for the seed's year, the dashboard's default month and a
period that has ended (the stock answers the first two, the cohort pass the last), the same
province figures as plain SQL over the raw roll-up rows (``peer.py``) with MariaDB's EXPLAIN of
the dashboard's queries, and one export of
the province's enrolments (``exports.write``, the code the Celery task runs) in rows per second
with this process's peak RSS growth. It prints MariaDB's EXPLAIN of the roll-up's profile read
(``regions_changed_after``, which filters and orders on ``IdentityProfile.updated_at``).
Each run seeds new learners; drop the database to start over.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
#: a period that has ended (the seed's study is in 2026): its counts come from the cohort pass
PAST = {"period": "range", "start": "2026-01-01", "end": "2026-11-30"}
CLOSED = {"period": "month", "date": "2026-11-01"}


def options(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(prog="python -m benchmarks.stats", description=__doc__)
    p.add_argument("--db-url", default="mysql://root@127.0.0.1:3306/xueshi_bench_stats")
    p.add_argument("--redis-url", default="redis://127.0.0.1:6379/6")
    p.add_argument("--learners", type=int, default=20000)
    p.add_argument("--courses", type=int, default=200)
    p.add_argument("--per-learner", type=int, default=2, help="courses each learner is enrolled in")
    p.add_argument("--study-every", type=int, default=15, help="days between a learner's study days")
    p.add_argument("--repeat", type=int, default=10, help="0: the export only")
    p.add_argument("--format", default="xlsx", choices=("xlsx", "csv"))
    p.add_argument("--profile", action="store_true", help="cProfile the export (top 25 by cumulative time)")
    p.add_argument("--no-migrate", action="store_true")
    p.add_argument("--no-seed", action="store_true", help="measure the learners earlier runs seeded")
    p.add_argument("--smoke", action="store_true", help="300 learners, 2 repeats: checks it runs")
    p.add_argument("--seed-only", action="store_true", help="seed, print the counts and the time, stop")
    p.add_argument("--no-export", action="store_true", help="the drill-downs only")
    p.add_argument("--no-peer", action="store_true", help="skip the plain-SQL peer (47 min a run at 1M)")
    p.add_argument("--out", default="")
    return p.parse_args(argv)


def _times(call: Any, repeat: int) -> dict[str, float]:
    wall = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        wall.append((time.perf_counter() - started) * 1000)
    wall.sort()
    return {
        "median_ms": round(statistics.median(wall), 1),
        "mean_ms": round(statistics.mean(wall), 1),
        # nearest rank: of 5 timings, p95 and p99 are the slowest (not the 4th, below the mean)
        "p95_ms": round(wall[math.ceil(len(wall) * 0.95) - 1], 1),
        "p99_ms": round(wall[math.ceil(len(wall) * 0.99) - 1], 1),
    }


class Shown(dict[str, Any]):
    """Figures printed (stderr) as they are measured: a long run shows its drill-downs before the export."""

    def __setitem__(self, key: str, value: Any) -> None:
        print(f"-- {key}: {value}", file=sys.stderr, flush=True)
        super().__setitem__(key, value)


def explain_profile_read() -> list[dict[str, Any]]:
    """MariaDB's plan for the roll-up's incremental profile read (the ``updated_at`` high-water mark)."""
    from django.db import connection

    from xueshi_identity import api as identity_api
    from xueshi_identity.models import IdentityProfile

    newest = IdentityProfile.objects.order_by("-updated_at").values_list("updated_at", "user_id").first()
    after = (newest[0] - timedelta(seconds=1), 0) if newest else None
    captured: list[tuple[str, Any]] = []

    def keep(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        identity_api.regions_changed_after(after, limit=1000)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + captured[-1][0], captured[-1][1])
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def supervisor() -> Any:
    """A provincial supervisor bound to 350000, signed in on a test client."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from xueshi_core import roles
    from xueshi_core.models import AccountScope

    user, _ = get_user_model().objects.get_or_create(username="stats-bench-province")
    user.groups.add(Group.objects.get_or_create(name=roles.SUPERVISOR_PROVINCE)[0])
    AccountScope.objects.update_or_create(user=user, defaults={"region_codes": "350000"})
    client = Client(HTTP_HOST="bench.invalid")
    client.force_login(user)
    return user, client


def measure(args: argparse.Namespace, counties: list[tuple[str, str]]) -> dict[str, Any]:
    """Drill-down timings and the export's rows per second."""
    from django.test.utils import override_settings

    from xueshi_stats import exports
    from xueshi_stats.models import ExportJob

    user, client = supervisor()
    # Production never rolls up on read (the beat does); the sandbox settings this inherits do.
    override_settings(XUESHI_STATS_ROLL_UP_ON_READ=False).enable()
    year = {"period": "year", "date": "2026-06-01"}
    # The periods timed: the seed's year (it ends on 31 Dec 2026, a current period: the county stock
    # answers), the dashboard's default (``period=month`` of today, no date), and a period that has
    # ended (the cohort pass: the stock counts only periods ending today or later), and an ended
    # month counted once it closed (ADR 0304: its count's pass is timed once, then its reads).
    periods = {"": year, "_month": {"period": "month"}, "_past": PAST, "_closed": CLOSED}
    city, county = counties[0]

    def ask(url: str, query: dict[str, str]) -> None:
        response = client.get(url, query)
        if response.status_code == 401:  # the session's cache entry went (a shared Redis): sign in again
            client.force_login(user)
            response = client.get(url, query)
        assert response.status_code == 200, response.content[:300]

    def get(region: str, period: dict[str, str]) -> None:
        ask("/api/xueshi/stats/figures/", {**period, "region": region})

    def page(region: str, period: dict[str, str]) -> None:
        ask("/api/xueshi/stats/learners/", {**period, "region": region, "figure": "enrolled"})

    figures: dict[str, Any] = Shown()
    if args.repeat:
        from xueshi_stats import closing
        from xueshi_stats.query import parse

        q = parse(CLOSED)
        counted = closing.count(q.start, q.end)  # None: an earlier run counted it
        figures["close_month_seconds"] = round(counted.seconds, 2) if counted else None
    for suffix, period in periods.items() if args.repeat else ():
        for name, region in (("province", "350000"), ("city", city), ("county", county)):
            get(region, period)  # warm
            figures[f"{name}_drill_down{suffix}"] = _times(lambda r=region, p=period: get(r, p), args.repeat)
        if suffix != "_month":
            for name, region in (("city", city), ("county", county)):
                page(region, period)  # warm
                figures[f"{name}_learner_page{suffix}"] = _times(
                    lambda r=region, p=period: page(r, p), args.repeat
                )
    if args.repeat:
        from datetime import date

        from .peer import explain_requests, province_peer

        if not args.no_peer:
            peer = province_peer("350000", date(2026, 1, 1), date(2026, 12, 31))
            figures["peer_plain_sql_province"] = _times(peer, args.repeat)
        figures["explain_province_dashboard"] = explain_requests(lambda: get("350000", year))
    figures["load_average"] = [round(n, 2) for n in os.getloadavg()]
    if args.no_export:
        return figures
    params = {"source": "figure", "figure": "enrolled", **year, "covered": {"regions": ["350000"]}}
    job = ExportJob.objects.create(
        token=f"bench{time.time_ns()}"[:32], owner_id=user.pk, owner_username=user.username,
        source="figure", file_format=args.format, params=params,
    )  # fmt: skip
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    pace = _paced(exports)
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        started = time.perf_counter()
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.runcall(exports.write, job.pk)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        else:
            exports.write(job.pk)
        seconds = time.perf_counter() - started
    job.refresh_from_db()
    assert job.state == ExportJob.DONE, job.error
    figures["export"] = {
        "format": args.format,
        "rows": job.written,
        "seconds": round(seconds, 2),
        "rows_per_s": round(job.written / seconds),
        "peak_rss_growth_mb": round(
            (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024, 1
        ),
        **pace.rates(),
    }
    return figures


class _Pace:
    """When each chunk of the export was written: rows/s over its first and last tenth of chunks."""

    def __init__(self) -> None:
        self.marks: list[tuple[float, int]] = []
        self.started = 0.0

    def rates(self) -> dict[str, int]:
        if len(self.marks) < 20:
            return {}
        tenth = len(self.marks) // 10

        def rate(part: list[tuple[float, int]], before: float) -> int:
            return round(sum(n for _t, n in part) / max(part[-1][0] - before, 1e-9))

        first, last = self.marks[:tenth], self.marks[-tenth:]
        return {
            "rows_per_s_first_tenth": rate(first, self.started),
            "rows_per_s_last_tenth": rate(last, self.marks[-tenth - 1][0]),
        }


def _paced(exports: Any) -> _Pace:
    """Wrap ``exports._chunks`` to note when each chunk (rows read and described and written) is done."""
    pace, chunks = _Pace(), exports._chunks

    def noted(rows: Any) -> Any:
        pace.started = time.perf_counter()
        for chunk in chunks(rows):
            yield chunk
            pace.marks.append((time.perf_counter(), len(chunk)))

    exports._chunks = noted
    return pace


def main(argv: list[str] | None = None) -> int:
    """Seed, measure, print (and write ``result.json`` to ``--out``)."""
    args = options(argv)
    if args.smoke:
        args.learners, args.repeat = 300, 2
    os.environ.update(
        DJANGO_SETTINGS_MODULE="benchmarks.settings",
        XUESHI_SETTINGS_TYPE="production",
        XUESHI_DB_URL=args.db_url,
        XUESHI_REDIS_URL=args.redis_url,
    )
    sys.path.insert(0, str(REPO))
    if not args.no_migrate:
        from benchmarks.heartbeat.processes import create_database

        create_database(args.db_url)
    import django

    django.setup()
    if not args.no_migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
    from .seed import seed

    started = time.perf_counter()
    if args.no_seed:
        from xueshi_identity.models import IdentityProfile

        from .seed import counties

        args.learners = IdentityProfile.objects.filter(user__username__startswith="sb").count()
        seeded: dict[str, Any] = {"counties": counties()}
    else:
        run = time.strftime("%H%M%S")
        seeded = seed(run, args.learners, args.courses, args.per_learner, 2026, args.study_every)
    result: dict[str, Any] = {"learners": args.learners, "seed_s": round(time.perf_counter() - started, 1)}
    result |= {k: v for k, v in seeded.items() if k != "counties"}
    if args.seed_only:
        print(json.dumps(result))
        return 0
    result["explain_profile_read"] = [
        {k: row.get(k) for k in ("table", "type", "key", "rows", "Extra")} for row in explain_profile_read()
    ]
    result |= measure(args, seeded["counties"])
    for key, value in result.items():
        print(f"{key:>22}: {value}")
    if args.out:
        Path(args.out).mkdir(parents=True, exist_ok=True)
        (Path(args.out) / "result.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return 0
