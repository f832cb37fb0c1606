"""The county stock's locking under load (ADR 0303): concurrent writers, no deadlock, nothing lost.

Real threads (each its own connection) write the same learners and the same county × category
hot rows (``LATE``: not completed, ``EARLY``: never studied) for a few seconds through the real
writers: enrolments and unenrolments, moves between counties and categories (as the profiles
roll-up does: the moves' stock rows applied last), exam rounds and study days (the roll-up's
writers, a batch of learners each). No writer may fail (a deadlock, 1213, or a lock wait
timeout, 1205, is an error: the lock order is what must prevent them), and afterwards the stock
is what the status rows and open spells add up to and counts what the cohort pass counts, the
day summary is the sum of the daily rows, and every daily row carries its learner's region of
that day.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time

import pytest
from django.db import connection, transaction
from django.db.models import Sum

from xueshi_stats import enrolments, figures, regions, rollup, stocks, summary
from xueshi_stats.models import CountyDayStock, CourseStatus, DailyStudy
from xueshi_stats.query import FigureQuery

from .handbuilt import EVERYONE, GULOU, SIMING, TAIJIANG, spell

pytestmark = [pytest.mark.component, pytest.mark.django_db(transaction=True)]

SECONDS = 3.0
LEARNERS = range(1, 13)
COURSES = ("course-v1:X+a+1", "course-v1:X+b+1")
PLACES = ((GULOU, "pro"), (TAIJIANG, "pro"), (GULOU, "acc"), (SIMING, "acc"))


def _pick(rng: random.Random) -> tuple[int, str]:
    return rng.choice(LEARNERS), rng.choice(COURSES)


def enrol_or_leave(rng: random.Random, today: date) -> None:
    uid, course = _pick(rng)
    if rng.random() < 0.6:
        enrolments.enrolled(uid, course, today - timedelta(days=rng.randint(0, 40)), today)
    else:
        enrolments.unenrolled(uid, course, today)


def move(rng: random.Random, today: date) -> None:
    """Two learners move in one transaction, as the profiles roll-up records a batch of saves."""
    now = datetime.now(UTC)
    rows = []
    for uid in rng.sample(LEARNERS, 2):
        (province, city, county), category = rng.choice(PLACES)
        rows.append((uid, province, city, county, "单位", category, now))
    with transaction.atomic():
        rollup.record_moves(rows)


def sit_exams(rng: random.Random, today: date) -> None:
    """A batch of exam rounds: completed today or a few days ago, or failed (not completed)."""
    rounds = {}
    for _ in range(3):
        day = today - timedelta(days=rng.randint(0, 5))
        at = datetime.combine(day, clock_time(4), tzinfo=UTC)  # noon in Shanghai: the same China day
        rounds[_pick(rng)] = [(at, rng.choice((35, 55, 65, 75, 85, 95)))]
    with transaction.atomic():
        rollup.write_exams(rounds)


def study(rng: random.Random, today: date) -> None:
    """A batch of daily study totals, as one ledger roll-up batch writes them."""
    totals = {(*_pick(rng), today - timedelta(days=rng.randint(0, 5))): (60_000, 1) for _ in range(4)}
    with transaction.atomic():
        rollup.write_days(totals)


def hammer(writers: list[Callable[[random.Random, date], None]], today: date) -> list[BaseException]:
    """Run each writer in its own thread, over and over for ``SECONDS``; what they raised."""
    errors: list[BaseException] = []
    start, deadline = threading.Barrier(len(writers)), time.monotonic() + SECONDS

    def run(writer: Callable[[random.Random, date], None], seed: int) -> None:
        rng = random.Random(seed)
        try:
            start.wait(timeout=30)
            while time.monotonic() < deadline:
                writer(rng, today)
        except Exception as exc:  # collected: the test reports every writer's failure
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(w, n)) for n, w in enumerate(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_concurrent_writers_keep_the_stock(today: date) -> None:
    for uid in LEARNERS:
        place, category = PLACES[uid % len(PLACES)]
        spell(uid, place, category, date(2000, 1, 1))
    errors = hammer([enrol_or_leave, enrol_or_leave, move, sit_exams, study], today)
    assert errors == []
    assert stocks.differences() == []
    # the day summary sums the daily rows (no refresher overwrote another's change with a stale sum),
    # and each daily row carries the region its learner had that day (no stamp lost to a move)
    assert summary.current() == summary.sums(DailyStudy.objects.all())
    days = list(DailyStudy.objects.values_list("user_id", "day", *regions.REGION_FIELDS))
    held = regions.on_days((uid, day) for uid, day, *_region in days)
    assert [tuple(region) for _uid, _day, *region in days] == [held[(uid, day)] for uid, day, *_r in days]
    open_enrolments = CourseStatus.objects.filter(enrolled_on__isnull=False, unenrolled_on__isnull=True)
    assert CountyDayStock.objects.aggregate(n=Sum("enrolled"))["n"] == open_enrolments.count() > 0
    for start in (today - timedelta(days=60), today - timedelta(days=3), today):
        q = FigureQuery(start=start, end=today)
        for column in ("county_code", "category_code"):
            stock = {k: f.as_dict() for k, f in figures.tally(EVERYONE, q, column).items()}
            counted = {k: f.as_dict() for k, f in figures.tally(EVERYONE, q, column, stock=False).items()}
            assert stock == counted, (start, column)


def test_a_summary_row_refreshed_by_two_writers_at_once_counts_both(today: date) -> None:
    """Learner 1's study day is written but not committed when learner 2's, same county and day, is.

    The second refresher must wait for the first (``summary.lock``): summing before the first
    commits, it would not see learner 1's row and, committing last, would overwrite the row
    with learner 2 alone.
    """
    for uid in (1, 2):
        spell(uid, GULOU, "pro", date(2000, 1, 1))
    written, second_done = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with transaction.atomic():
                rollup.write_days({(1, COURSES[0], today): (60_000, 1)})
                written.set()
                second_done.wait(timeout=2)  # the second either finished (no lock) or waits on us
        except Exception as exc:
            errors.append(exc)
        finally:
            written.set()
            connection.close()

    def second() -> None:
        try:
            written.wait(timeout=30)
            with transaction.atomic():
                rollup.write_days({(2, COURSES[0], today): (120_000, 1)})
        except Exception as exc:
            errors.append(exc)
        finally:
            second_done.set()
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert summary.current() == {(today, *GULOU, "pro"): (180_000, 2)}
