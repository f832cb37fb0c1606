"""Keep the roll-ups current from the sources' high-water marks (ADR 0150): a beat task runs ``run``.

Each step reads what is new in one source since its ``Cursor``, plus a window of rows just below
the mark (a transaction that took an id early may commit after a later one was read), recomputes
the touched keys *absolutely* from the source's own totals, and moves the mark, all in one
transaction. Recomputing instead of adding makes a re-read harmless: a run that dies, a run
repeated, or two runs in parallel (the cursor row is locked) can never count a second twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Min, Sum
from xueshi_questionbank import api as bank_api

from xueshi_core.days import china_day
from xueshi_identity import api as identity_api
from xueshi_studytime import api as studytime_api

from . import conf, regions, signals, stocks, summary
from .models import CourseStatus, Cursor, DailyStudy

LEDGER, EXAMS, PROFILES = "ledger", "exams", "profiles"
PROFILE_OVERLAP = timedelta(minutes=5)


def upsert(model: Any, rows: list[Any], unique: list[str], fields: list[str]) -> None:
    """Insert rows or overwrite ``fields`` of existing ones (MariaDB/MySQL: ON DUPLICATE KEY)."""
    if not rows:
        return
    by_target = connection.features.supports_update_conflicts_with_target
    model.objects.bulk_create(
        rows, update_conflicts=True, update_fields=fields, unique_fields=unique if by_target else None
    )


def _cursor(name: str) -> Cursor:
    Cursor.objects.get_or_create(name=name)
    return Cursor.objects.select_for_update().get(name=name)


def _window(read: Callable[[int, int], tuple[int, set[Any]]], position: int) -> set[Any]:
    """The keys of the source rows just below ``position`` (read again each run)."""
    if not position:
        return set()
    size = conf.overlap_rows()
    return read(max(0, position - size), size)[1]


def write_days(totals: dict[tuple[int, str, date], tuple[int, int]]) -> None:
    """Store these daily totals (stamped with the region of their day); refresh the summary and statuses.

    The learners' spells and status rows are locked first (``stocks.tracking``), before the daily
    rows: a move locks the spell, then re-stamps the learner's daily rows, so writing the daily
    rows first deadlocked against it (tests/component/stats/test_stock_locks.py), and a stamp
    read before the move committed could overwrite the move's. The stock rows come last.
    """
    pairs = {(uid, course) for uid, course, _day in totals}
    with stocks.tracking(pairs):
        stamp = regions.on_days((uid, day) for uid, _course, day in totals)
        upsert(
            DailyStudy,
            [
                DailyStudy(
                    user_id=uid,
                    course_key=course,
                    day=day,
                    credited_ms=ms,
                    sessions=sessions,
                    **regions.as_fields(stamp[(uid, day)]),
                )
                for (uid, course, day), (ms, sessions) in totals.items()
            ],
            ["user_id", "course_key", "day"],
            ["credited_ms", "sessions", *regions.REGION_FIELDS],
        )
        summary.refresh({summary.key_of(day, stamp[(uid, day)]) for uid, _course, day in totals})
        if pairs:
            _write_study_status(pairs, _study_sums(pairs))


def _study_sums(pairs: set[tuple[int, str]]) -> dict[tuple[int, str], Any]:
    """First and last study day and credited total of these (learner, course) pairs."""
    return {
        (uid, course): (first, last, ms)
        for uid, course, first, last, ms in DailyStudy.objects.filter(
            user_id__in={p[0] for p in pairs}, course_key__in={p[1] for p in pairs}
        )
        .values_list("user_id", "course_key")
        .annotate(first=Min("day"), last=Max("day"), ms=Sum("credited_ms"))
        .order_by()
    }


def _write_study_status(pairs: set[tuple[int, str]], sums: dict[tuple[int, str], Any]) -> None:
    upsert(
        CourseStatus,
        [
            CourseStatus(
                user_id=uid,
                course_key=course,
                first_study_day=sums.get((uid, course), (None, None, 0))[0],
                last_study_day=sums.get((uid, course), (None, None, 0))[1],
                credited_ms=sums.get((uid, course), (None, None, 0))[2] or 0,
            )
            for uid, course in sorted(pairs)
        ],
        ["user_id", "course_key"],
        ["first_study_day", "last_study_day", "credited_ms"],
    )


def roll_up_ledger() -> int:
    """Bring daily study up to the ledger's newest row, one committed batch at a time; rows read."""
    read, first = 0, True
    while True:
        with transaction.atomic():
            cursor = _cursor(LEDGER)
            keys = _window(studytime_api.ledger_keys_after, cursor.position) if first else set()
            last, new = studytime_api.ledger_keys_after(cursor.position, conf.batch_rows())
            write_days(studytime_api.day_totals(keys | new))
            moved, read = last != cursor.position, read + last - cursor.position
            cursor.position = last
            cursor.save(update_fields=["position"])
        first = False
        if not moved:
            return read


def write_exams(rounds: dict[tuple[int, str], list[tuple[Any, int]]]) -> None:
    """Store first exam day, best score and (provisional) completion day of these pairs."""
    passing = conf.pass_percent()
    rows = []
    for (uid, course), results in rounds.items():
        days = sorted((china_day(at), pct) for at, pct in results)
        passed = [d for d, pct in days if pct >= passing]
        rows.append(
            CourseStatus(
                user_id=uid,
                course_key=course,
                examined_on=days[0][0],
                best_score=max(pct for _d, pct in days),
                completed_on=passed[0] if passed else None,
            )
        )
    with stocks.tracking((row.user_id, row.course_key) for row in rows):
        upsert(CourseStatus, rows, ["user_id", "course_key"], ["examined_on", "best_score", "completed_on"])


def roll_up_exams() -> int:
    """Bring exam facts up to the question bank's newest answer, batch by batch; pairs refreshed."""
    refreshed, first = 0, True
    while True:
        with transaction.atomic():
            cursor = _cursor(EXAMS)
            pairs = _window(bank_api.exam_pairs_after, cursor.position) if first else set()
            last, new = bank_api.exam_pairs_after(cursor.position, conf.batch_rows())
            pairs |= new
            write_exams(bank_api.exam_rounds(pairs))
            moved, refreshed = last != cursor.position, refreshed + len(pairs)
            cursor.position = last
            cursor.save(update_fields=["position"])
        first = False
        if not moved:
            return refreshed


def roll_up_profiles() -> int:
    """Record region changes of profiles saved since the mark; return how many learners moved."""
    with transaction.atomic():
        cursor = _cursor(PROFILES)
        after = (cursor.moment - PROFILE_OVERLAP, 0) if cursor.moment else None
        changed: list[Any] = []
        while True:
            rows = identity_api.regions_changed_after(after, conf.batch_rows())
            changed.extend(rows)
            if len(rows) < conf.batch_rows():
                break
            after = (rows[-1][6], rows[-1][0])
        movers = record_moves(changed)
        if changed:
            cursor.moment = max(changed[-1][6], cursor.moment or changed[-1][6])
            cursor.save(update_fields=["moment"])
        signals.moved_on_commit(movers)  # a project's newcomers hear of it (ADR 0345)
    return len(movers)


def record_moves(rows: list[Any]) -> list[int]:
    """Record these profiles' regions (``regions_changed_after``'s tuples, oldest first); who moved.

    Call inside a transaction. Every mover's spells are locked first, in ascending learner id
    (``stocks.lock_learners``), as each writer of the stock locks its learners: a move re-counts
    the day summary of the learner's study, so locking the next mover's spell after refreshing
    the previous mover's summary rows deadlocked against a study-day batch holding that spell
    and waiting for those rows (tests/component/stats/test_stock_locks.py). The stock rows of
    all the moves are added once, last, in key order.
    """
    stocks.lock_learners(row[0] for row in rows)
    movers, changes = [], stocks.Stock()
    for uid, province, city, county, employer, category, updated in rows:
        if regions.record(uid, (province, city, county, employer, category), china_day(updated), changes):
            movers.append(uid)
    stocks.apply(changes)
    return movers


def run() -> dict[str, int]:
    """One roll-up run over every source (regions first, so new days are stamped right)."""
    return {"profiles": roll_up_profiles(), "ledger": roll_up_ledger(), "exams": roll_up_exams()}
