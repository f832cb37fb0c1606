"""Announce a training project to N learners in one process (what one solo Celery worker does); measure it.

Each learner is told once (ADR 0340). Two parts, as the worker's tasks split them: **record** (a
page of learners per transaction: language read, the notification and its deliveries written;
SMS and WeChat rows recorded as skipped, the seeded learners having no phone and no binding) and
**send** (each queued email claimed, rendered and handed to Django's mail backend, the in-memory
one here: no SMTP server is measured). Printed: learners or emails per CPU-second and per wall
second and SQL statements each, then the same announcement again (every learner already told:
the idempotent path).

Run: ``.venv/bin/python -m benchmarks.notify --learners 2000`` (``--smoke``: 200), against
``mysql://root@127.0.0.1:3306/xueshi_bench_notify`` unless ``--db-url``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


def options(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    p.add_argument("--learners", type=int, default=2000)
    p.add_argument("--batch", type=int, default=200)
    p.add_argument("--db-url", default="mysql://root@127.0.0.1:3306/xueshi_bench_notify")
    p.add_argument("--redis-url", default="redis://127.0.0.1:6379/12")
    p.add_argument("--smoke", action="store_true")
    p.add_argument("--out", default="")
    return p.parse_args(argv)


def seed(run: str, learners: int) -> str:
    """``learners`` accounts in 福州 鼓楼 with their current dated region, and an approved project."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from xueshi_stats.models import RegionSpell, TrainingProject

    user = get_user_model()
    users = user.objects.bulk_create(
        user(username=f"bn{run}_{i}", email=f"bn{run}_{i}@example.invalid") for i in range(learners)
    )
    if users[0].pk is None:  # MariaDB returns no ids from bulk_create
        users = list(user.objects.filter(username__startswith=f"bn{run}_"))
    RegionSpell.objects.bulk_create(
        RegionSpell(
            user_id=u.pk,
            valid_from=date(2000, 1, 1),
            province_code="350000",
            city_code="350100",
            county_code="350102",
            employer=f"bench-{run}",  # this run's learners only (earlier runs stay in the database)
        )
        for u in users
    )
    code = f"bench-{run}"
    TrainingProject.objects.create(
        code=code,
        name="福州市2026年安全生产继续教育",
        organiser="福州市人社局",
        start=date(2026, 12, 10),
        end=date(2027, 1, 31),
        courses=["course-v1:Xueshi+SAFE101+2026"],
        regions=["350102"],
        employers=[f"bench-{run}"],
        required_hours="24.00",
        approved_at=timezone.now(),
    )
    return code


def _measured(work: Any) -> tuple[Any, float, float, int]:
    """(result, wall s, CPU s, SQL statements) of ``work()``."""
    from django.db import connection

    statements = [0]

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements[0] += 1
        return execute(sql, params, many, context)

    wall, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(count):
        result = work()
    return result, time.perf_counter() - wall, time.process_time() - cpu, statements[0]


def _figures(n: int, wall: float, cpu: float, statements: int) -> dict[str, float]:
    return {
        "n": n,
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "per_cpu_s": round(n / cpu, 1) if cpu else 0.0,
        "per_wall_s": round(n / wall, 1) if wall else 0.0,
        "sql_each": round(statements / max(1, n), 1),
    }


def announce(code: str) -> dict[str, Any]:
    """Record the notifications page by page (sending held back), then send the queued emails."""
    from xueshi_notify import sending, tasks, training
    from xueshi_notify.models import Delivery

    held = tasks.enqueue
    tasks.enqueue = lambda ids: None  # what a broker would hold for the send tasks
    try:
        told: list[int] = []
        learners, wall, cpu, sql = _measured(
            lambda: training.announce(code, "approved", lambda *page: told.append(training.tell(*page)))
        )
    finally:
        tasks.enqueue = held
    queued = list(
        Delivery.objects.filter(
            notification__dedupe_key__startswith=f"training:{code}:", state="queued"
        ).values_list("pk", flat=True)
    )
    sent, s_wall, s_cpu, s_sql = _measured(lambda: [sending.deliver(pk) for pk in queued].count("sent"))
    return {
        "learners": learners,
        "told": sum(told),
        "record": _figures(learners, wall, cpu, sql),
        "send_email": _figures(len(queued), s_wall, s_cpu, s_sql),
        "sent": sent,
    }


def main(argv: list[str] | None = None) -> int:
    """Seed, announce, announce again, print the figures (JSON with ``--out``)."""
    args = options(argv)
    if args.smoke:
        args.learners = 200
    os.environ.pop("XUESHI_CELERY_BROKER", None)  # deliveries are sent in this process (eager)
    sys.path.insert(0, str(REPO))
    from benchmarks.django_site import start

    start(args.db_url, args.redis_url)
    from django.conf import settings
    from django.core import mail

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.XUESHI_NOTIFY_BATCH_SIZE = args.batch
    mail.outbox = []
    code = seed(time.strftime("%H%M%S"), args.learners)
    first = announce(code)
    first["emails"] = len(mail.outbox)
    again = announce(code)
    again.pop("send_email")
    result: dict[str, Any] = {"learners": args.learners, "batch": args.batch, "first": first, "again": again}
    print(json.dumps(result, indent=2))
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2), encoding="utf-8")
    ok = first["told"] == args.learners == first["emails"] == first["sent"] and again["told"] == 0
    return 0 if ok else 1
