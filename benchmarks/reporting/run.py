"""Write N canonical records to the outbox, then deliver them to the provincial sandbox; measure both.

Target (issue 21): at least 2,000 records per second per Celery core, in batches. "Per core" is
records per CPU-second of the delivering process (``time.process_time``: what one solo Celery
worker spends), the sandbox receiving in its own process; wall-clock throughput is printed beside
it. Writing is measured the same way (records per CPU-second of the writer, 500 per transaction).
``--write-path N`` instead times the LMS writes that carry outbox rows (profile saves, enrolments)
with the outbox off and on, side by side (``write_path.py``).

Run: ``.venv/bin/python -m benchmarks.reporting --records 20000`` (default 10,000; ``--smoke``
1,000), against ``mysql://root@127.0.0.1:3306/xueshi_bench_reporting`` unless ``--db-url``.
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TARGET_PER_CORE = 2000.0
CODE = "bench-province"


def options(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    p.add_argument("--records", type=int, default=10000)
    p.add_argument("--learners", type=int, default=1000)
    p.add_argument("--batch", type=int, default=500)
    p.add_argument("--algorithm", default="HMAC-SHA256", choices=("HMAC-SHA256", "HMAC-SM3", "SM2"))
    p.add_argument("--db-url", default="mysql://root@127.0.0.1:3306/xueshi_bench_reporting")
    p.add_argument("--redis-url", default="redis://127.0.0.1:6379/4")
    p.add_argument("--port", type=int, default=9480)
    p.add_argument("--smoke", action="store_true")
    p.add_argument("--api", action="store_true", help="then page every record through the sharing API")
    p.add_argument("--no-delivery", action="store_true", help="write (and page), do not deliver")
    p.add_argument("--page-only", action="store_true", help="number and page the records already written")
    p.add_argument(
        "--write-path", type=int, default=0, help="only time N LMS writes with the outbox off and on"
    )
    p.add_argument("--out", default="")
    return p.parse_args(argv)


def drafts(n: int, learners: int):
    from xueshi_reporting import schema
    from xueshi_reporting.records import Draft

    course = {
        "code": "course-v1:Bench+R1+2026",
        "title": "公需课",
        "category": "public",
        "declared_hours": "10",
    }
    for i in range(n):
        uid = 1 + i % learners
        day = 1 + (i // learners) % 28
        learner = {
            "user_id": uid,
            "real_name": f"学员{uid}",
            "id_type": "resident_id",
            "id_number": f"350102199003{uid:06d}",
            "region": "350102",
            "category": "general",
            "employer": "鼓楼电力公司",
        }
        data = {
            "day": f"2026-02-{day:02d}",
            "credited_minutes": 30 + i % 60,
            "credited_seconds": 1800,
            "n": i,
        }
        subject = f"study:{uid}:{course['code']}:2026-02-{day:02d}:{i}"
        yield Draft(schema.STUDY_DAY, uid, subject, learner, course, data, datetime(2026, 2, day, tzinfo=UTC))


def rss_mb() -> float:
    """This process's resident set, in MB (/proc)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def page_api(limit: int = 1000) -> dict[str, float]:
    """Page the whole feed through the view as a client of every region; time and memory per page."""
    from datetime import timedelta

    from django.test import Client
    from django.utils import timezone
    from oauth2_provider.models import AccessToken, Application

    from xueshi_reporting.models import ApiClient

    app = Application.objects.create(
        name="bench", client_type="confidential", authorization_grant_type="client-credentials"
    )
    ApiClient.objects.create(client_id=app.client_id, name="bench", region_prefixes=["3"], per_minute=10**6)
    token = AccessToken.objects.create(
        application=app, token=f"bench-{app.pk}", expires=timezone.now() + timedelta(hours=1), scope=""
    )
    http = Client(SERVER_NAME="bench.invalid", HTTP_AUTHORIZATION=f"Bearer {token.token}")
    cursor, pages, seen, samples = "", 0, 0, []
    cpu, wall = time.process_time(), time.perf_counter()
    while True:
        body = http.get("/xueshi/reporting/api/v1/changes", {"cursor": cursor, "limit": limit}).json()
        seen += len(body["records"])
        pages += 1
        samples.append(rss_mb())
        cursor = body["next_cursor"]
        if not body["has_more"]:
            break
    warm = samples[max(0, len(samples) // 10 - 1)]
    return {
        "api_records": seen,
        "api_pages": pages,
        "api_per_s_wall": round(seen / (time.perf_counter() - wall)),
        "api_per_cpu_s": round(seen / (time.process_time() - cpu)),
        "api_rss_after_tenth_mb": round(warm, 1),
        "api_rss_max_mb": round(max(samples), 1),
        "api_rss_growth": round(max(samples) / warm - 1, 3),
    }


def wait_port(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and process.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the provincial sandbox did not start")


def main(argv: list[str] | None = None) -> int:
    """Write, deliver, report; exit 1 when a full run misses the per-core target."""
    args = options(argv)
    if args.smoke:
        args.records = 1000
    sys.path.insert(0, str(REPO))
    from benchmarks.django_site import start

    start(args.db_url, args.redis_url)
    from django.conf import settings
    from django.db import transaction

    if args.page_only:
        from xueshi_reporting import feed

        started = time.perf_counter()
        numbered = feed.sequence(limit=10**9)
        figures = {"numbered": numbered, "feed_numbering_s": round(time.perf_counter() - started, 1)}
        for key, value in (figures | page_api()).items():
            print(f"{key:>28}: {value}")
        return 0
    if args.write_path:
        from benchmarks.reporting.write_path import measure

        for key, value in measure(args.write_path).items():
            print(f"{key:>28}: {value}")
        return 0
    from sandbox.provincial.__main__ import demo_keys, site_secrets
    from xueshi_reporting import delivery, outbox
    from xueshi_reporting.models import Delivery, Destination, Exchange, OutboxRecord

    Delivery.objects.all().delete()
    Exchange.objects.all().delete()
    OutboxRecord.objects.all().delete()
    Destination.objects.filter(code=CODE).delete()
    settings.XUESHI_REPORTING_SECRETS = {CODE: site_secrets(demo_keys(), sm4=False)}
    sandbox = subprocess.Popen(
        [sys.executable, "-m", "sandbox.provincial", "--port", str(args.port), "--algorithm", args.algorithm],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_port(args.port, sandbox)
        Destination.objects.create(
            code=CODE,
            name="bench",
            url=f"http://127.0.0.1:{args.port}/records",
            signature=args.algorithm,
            app_id="xueshi-demo",
            batch_size=args.batch,
        )
        wall, cpu = time.perf_counter(), time.process_time()
        chunk = []
        for draft in drafts(args.records, args.learners):
            chunk.append(draft)
            if len(chunk) == 500:
                with transaction.atomic():
                    outbox.write(chunk)
                chunk = []
        with transaction.atomic():
            outbox.write(chunk)
        write_wall, write_cpu = time.perf_counter() - wall, time.process_time() - cpu
        wall, cpu = time.perf_counter(), time.process_time()
        sent = 0
        while not args.no_delivery:
            n = delivery.run(CODE, budget_seconds=600)
            sent += n
            if not n:
                break
        send_wall, send_cpu = time.perf_counter() - wall, time.process_time() - cpu
        delivered = Delivery.objects.filter(state=Delivery.DELIVERED).count()
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=10)
    figures = {
        "records": args.records,
        "algorithm": args.algorithm,
        "batch": args.batch,
        "delivered": delivered,
        "write_per_s_wall": round(args.records / write_wall),
        "write_per_cpu_s": round(args.records / write_cpu),
        "deliver_per_s_wall": round(delivered / max(send_wall, 1e-9)),
        "deliver_per_cpu_s": round(delivered / max(send_cpu, 1e-9)),
        "exchanges": Exchange.objects.count(),
        "target_per_core": TARGET_PER_CORE,
    }
    if args.api:
        from xueshi_reporting import feed

        started = time.perf_counter()
        feed.sequence(limit=10**9)
        figures["feed_numbering_s"] = round(time.perf_counter() - started, 1)
        figures |= page_api()
    figures["target_met"] = delivered == args.records and figures["deliver_per_cpu_s"] >= TARGET_PER_CORE
    if args.no_delivery:
        figures["target_met"] = "not measured (--no-delivery)"
    for key, value in figures.items():
        print(f"{key:>20}: {value}")
    if args.out:
        Path(args.out).mkdir(parents=True, exist_ok=True)
        (Path(args.out) / "result.json").write_text(json.dumps(figures, indent=2))
    return 0 if figures["target_met"] is True or args.smoke or args.no_delivery else 1
