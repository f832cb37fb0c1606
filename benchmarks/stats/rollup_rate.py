"""``python -m benchmarks.stats.rollup_rate``: do the statistics roll-ups keep up with the ledger?

Issue 20 asks that the roll-ups keep up with the heartbeat benchmark's ledger rate on one Celery
core. The ledger gets one ``LedgerEntry`` per credited 30-second beat (120 rows per learner-hour;
ADR 0703), written by the flusher together with the ``DailyStudyTotal`` it increments. This
benchmark seeds a province of ``--learners`` (``seed.py``: profiles, region spells, a half year of
roll-up rows), then, for ``--minutes`` simulated minutes, appends one minute of every learner's
beats to the real ledger tables (as the flusher writes them: ledger rows and the daily totals they
increment) and runs ``rollup.roll_up_ledger`` (the code the beat task runs each minute). Timed per
run: the roll-up's own CPU (this process, i.e. the Celery core), MariaDB's CPU (read from
``/proc`` when the server runs here) and the wall time.

The roll-up keeps up while a minute's run costs less than a minute of its core, so one core keeps
up with ``learners × 60 / CPU seconds per run`` learners studying at once (the heartbeat
benchmark's 1,000–2,000 at once write 33–67 ledger rows/s; 100,000 all playing, 3,333 rows/s).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

BEAT_MS = 30_000


def options(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(prog="python -m benchmarks.stats.rollup_rate", description=__doc__)
    p.add_argument("--db-url", default="mysql://root@127.0.0.1:3306/xueshi_bench_rollup")
    p.add_argument("--redis-url", default="redis://127.0.0.1:6379/6")
    p.add_argument("--learners", type=int, default=2000)
    p.add_argument("--minutes", type=int, default=10, help="minutes of study appended per learner")
    p.add_argument("--smoke", action="store_true", help="200 learners, 2 minutes: checks it runs")
    return p.parse_args(argv)


def server_cpu_seconds() -> float | None:
    """User + system CPU of the local MariaDB/MySQL server process, or None when it is elsewhere."""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            name = Path(f"/proc/{pid}/comm").read_text().strip()
            if name in ("mariadbd", "mysqld"):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            continue
    return None


def open_sessions(users: list[int], course_key: str, start: datetime) -> list[Any]:
    """One playback session per learner, as the player opens it, and the day's empty totals."""
    from xueshi_studytime.models import DailyStudyTotal, PlaybackSession

    usage = course_key.replace("course-v1:", "block-v1:") + "+type@xueshi_video+block@rollup"
    sessions = [
        PlaybackSession(id=uuid.uuid4(), user_id=uid, course_key=course_key, usage_key=usage, opened_at=start)
        for uid in users
    ]
    PlaybackSession.objects.bulk_create(sessions, batch_size=2000)
    day = china_day_of(start)
    DailyStudyTotal.objects.bulk_create(
        [DailyStudyTotal(user_id=uid, course_key=course_key, day=day, credited_ms=0) for uid in users],
        batch_size=2000,
    )
    return sessions


def china_day_of(moment: datetime) -> Any:
    """The Asia/Shanghai day of a UTC moment."""
    return (moment + timedelta(hours=8)).date()


def append_minute(sessions: list[Any], minute: int, day_start: datetime) -> int:
    """Write one minute of credited beats for every session, as the flusher does; rows added."""
    from django.db import transaction
    from django.db.models import F

    from xueshi_studytime.models import DailyStudyTotal, LedgerEntry

    per_minute = 60_000 // BEAT_MS
    day = china_day_of(day_start)
    with transaction.atomic():
        rows = [
            LedgerEntry(
                session_id=s.id, seq=n, user_id=s.user_id, course_key=s.course_key, usage_key=s.usage_key,
                credited_ms=BEAT_MS, from_position=n * 30.0, to_position=(n + 1) * 30.0,
                received_at=day_start + timedelta(seconds=30 * (n + 1)), china_day=day,
            )
            for n in range(minute * per_minute, (minute + 1) * per_minute)
            for s in sessions
        ]  # fmt: skip
        LedgerEntry.objects.bulk_create(rows, batch_size=5000)
        DailyStudyTotal.objects.filter(day=day, course_key=sessions[0].course_key).update(
            credited_ms=F("credited_ms") + per_minute * BEAT_MS
        )
    return len(rows)


def measure(args: argparse.Namespace) -> dict[str, Any]:
    """Seed; then, minute by minute, append every learner's beats and time the roll-up's run."""
    from django.contrib.auth import get_user_model

    from xueshi_stats import rollup
    from xueshi_stats.models import Cursor
    from xueshi_studytime.models import LedgerEntry

    from .seed import course_key, seed

    run = "R" + time.strftime("%H%M%S")
    seed(run, args.learners, 1, 1, 2026, every=30)  # every learner enrolled in course 0
    rollup.run()  # the seeded profiles' spells and any older ledger rows, not measured
    learners = get_user_model().objects.filter(username__startswith=f"sb{run}-")
    users = list(learners.values_list("pk", flat=True))
    before = LedgerEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    Cursor.objects.update_or_create(name=rollup.LEDGER, defaults={"position": before})
    day_start = datetime.now(UTC).replace(hour=1, minute=0, second=0, microsecond=0)
    sessions = open_sessions(users, course_key(run, 0), day_start)
    added = read = 0
    cpu = wall = db_cpu = 0.0
    for minute in range(args.minutes):
        added += append_minute(sessions, minute, day_start)
        db0, cpu0, wall0 = server_cpu_seconds(), time.process_time(), time.perf_counter()
        read += rollup.roll_up_ledger()
        cpu, wall = cpu + time.process_time() - cpu0, wall + time.perf_counter() - wall0
        db_cpu += (server_cpu_seconds() or 0) - db0 if db0 is not None else 0
    per_run = cpu / args.minutes
    return {
        "learners": len(users),
        "ledger_rows": added,
        "rows_read": read,
        "rollup_cpu_s_per_minute_run": round(per_run, 3),
        "rollup_wall_s_per_minute_run": round(wall / args.minutes, 3),
        "database_cpu_s_per_minute_run": round(db_cpu / args.minutes, 3),
        "rows_per_rollup_cpu_s": round(added / cpu) if cpu else "n/a",
        "learners_studying_one_core_keeps_up_with": round(len(users) * 60 / per_run) if per_run else "n/a",
    }


def main(argv: list[str] | None = None) -> int:
    """Set Django up on the benchmark database, measure, print."""
    args = options(argv)
    if args.smoke:
        args.learners, args.minutes = 200, 2
    from benchmarks import django_site

    django_site.start(args.db_url, args.redis_url)
    for key, value in measure(args).items():
        print(f"{key:>22}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
