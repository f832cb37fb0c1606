"""Learner counts of a period ending today or later from ``CountyDayStock`` (ADR 0303).

ADR 0151's cohort of a period [S, E] is the enrolments open at E, not completed before S, in the
region and category of the learner's spell in force on E. When E is today or later no stored day
is after E, so: the spell in force on E is the learner's open spell, "open at E" is "enrolled and
not unenrolled", and every figure is the number of open enrolments whose one *stock day* is on
or after S (k = completed on, or ``LATE``; l = last study day, or ``EARLY``):

- enrolled (not completed before S): k ≥ S; completed: completed on ≥ S;
- studying (credited study in [S, E], i.e. l ≥ S, and in the cohort): min(k, l) ≥ S;
- examined, scored, the score sum and each band: examined enrolments with k ≥ S.

So each open enrolment adds 1 to a few columns of ``CountyDayStock`` at those days, and a question
is one ``SUM`` per column over the rows from S on of the asked region. The stock is kept by deltas
inside the writers' transactions (``tracking``): the enrolments' rows are locked, their stock read
before and after the write, and the difference added by core's additive upsert in key order.
``expected`` recomputes it from ``CourseStatus`` and the open spells (the rebuild, ``--compare``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import QuerySet, Sum
from django.utils import timezone

from xueshi_core.api import add_rows
from xueshi_core.days import china_day
from xueshi_core.scopes import Scope

from .models import CountyDayStock, CourseStatus, RegionSpell
from .query import BANDS, FigureQuery

#: "never studied" and "not completed": before and after every day a period can name
EARLY, LATE = date(1900, 1, 1), date(9999, 12, 31)
BAND_COLUMNS = tuple(f"band{n}" for n in range(len(BANDS)))
COLUMNS = ("enrolled", "studying", "completed", "examined", "scored", "score_sum", *BAND_COLUMNS)
KEY_FIELDS = ("province_code", "city_code", "county_code", "category_code", "day")
FACTS = ("enrolled_on", "unenrolled_on", "completed_on", "last_study_day", "examined_on", "best_score")
CHUNK = 500

Place = tuple[str, str, str, str]  # province, city, county, category of the open spell
Key = tuple[str, str, str, str, date]
Stock = Counter[tuple[Key, str]]
Pair = tuple[int, str]


def exact_for(q: FigureQuery) -> bool:
    """Whether the stock counts this period exactly: it ends today (China day) or later."""
    return q.end >= china_day(timezone.now()) and q.start > EARLY


def band_of(score: int) -> int | None:
    """The index of the ``BANDS`` band a score falls in (as ``figures``' pass bounds them)."""
    upper = 101
    for n, (low, _label) in enumerate(BANDS):
        if low <= score < upper:
            return n
        upper = low
    return None


def contribution(place: Place, facts: tuple[Any, ...]) -> Iterator[tuple[Key, str, int]]:
    """What one enrolment (``FACTS`` of its status row) adds to the stock of its learner's place."""
    enrolled_on, unenrolled_on, completed_on, last_study, examined_on, score = facts
    if enrolled_on is None or unenrolled_on is not None:
        return
    done = completed_on or LATE
    yield (*place, done), "enrolled", 1
    yield (*place, EARLY if last_study is None else min(done, last_study)), "studying", 1
    if completed_on is not None:
        yield (*place, completed_on), "completed", 1
    if examined_on is None:
        return
    yield (*place, done), "examined", 1
    if score is not None:
        yield (*place, done), "scored", 1
        yield (*place, done), "score_sum", score
        band = band_of(score)
        if band is not None:
            yield (*place, done), BAND_COLUMNS[band], 1


def _statuses(pairs: list[Pair], user: int | None) -> list[tuple[Any, ...]]:
    """``user_id`` and ``FACTS`` of these enrolments' status rows (or of all of ``user``'s)."""
    if user is not None:
        return list(CourseStatus.objects.filter(user_id=user).values_list("user_id", *FACTS))
    wanted, rows = set(pairs), {}
    for start in range(0, len(pairs), CHUNK):  # by the (user, course) index; rows of other pairs dropped
        chunk = pairs[start : start + CHUNK]
        found = CourseStatus.objects.filter(
            user_id__in={p[0] for p in chunk}, course_key__in={p[1] for p in chunk}
        )
        for uid, course, *facts in found.values_list("user_id", "course_key", *FACTS):
            if (uid, course) in wanted:
                rows[(uid, course)] = (uid, *facts)  # once, though several chunks may read it
    return list(rows.values())


def places(users: set[int]) -> dict[int, Place]:
    """The place (region codes and category) of each learner's open spell; none: counted nowhere."""
    wanted, found = sorted(users), {}
    for start in range(0, len(wanted), CHUNK):
        spells = RegionSpell.objects.filter(valid_to__isnull=True, user_id__in=wanted[start : start + CHUNK])
        for uid, *place in spells.values_list(
            "user_id", "province_code", "city_code", "county_code", "category_code"
        ):
            found[uid] = tuple(place)
    return found


def held(pairs: list[Pair], user: int | None = None) -> Stock:
    """The stock these enrolments (or all of ``user``'s) add up to as the tables hold them now."""
    statuses = _statuses(pairs, user)
    where = places({row[0] for row in statuses})
    stock: Stock = Counter()
    for uid, *facts in statuses:
        if uid in where:
            for key, column, n in contribution(where[uid], tuple(facts)):
                stock[(key, column)] += n
    return stock


def lock_learners(users: Iterable[int]) -> None:
    """Lock these learners' spells, one learner at a time in ascending id: every writer's first lock.

    A learner's spells are the learner's lock for the stock. One statement per learner, by
    equality on the ``(user_id, …)`` key: a locking read over many learners (``IN``, ``OR``) may be
    planned as a scan of the table (a small table, a long list), and InnoDB then locks, and keeps,
    other learners' rows in the table's order, so two writers of disjoint learners deadlock
    (seen in tests/component/stats/test_stock_locks.py). The status rows are locked the same way.
    """
    for uid in sorted(set(users)):
        list(RegionSpell.objects.select_for_update().filter(user_id=uid).values_list("pk"))


def _lock_statuses(courses: dict[int, list[str]]) -> list[Pair]:
    """Lock these learners' status rows of these courses, learner by learner; the pairs with none."""
    missing = []
    for uid in sorted(courses):
        rows = CourseStatus.objects.select_for_update().filter(user_id=uid, course_key__in=courses[uid])
        found = set(rows.values_list("course_key", flat=True))
        missing.extend((uid, course) for course in courses[uid] if course not in found)
    return missing


def _lock(pairs: list[Pair], user: int | None) -> None:
    """Lock the learners' spells, then the status rows (a missing one is inserted blank).

    Spells first, as ``regions.record`` does: a move and a write to the same learner's enrolments
    wait for each other whether or not the status row existed, and no two lock in opposite order.
    A blank status row counts nowhere until it is written. Existing rows are locked before any
    insert (an ``INSERT IGNORE`` of an existing row would take a shared lock first).
    """
    lock_learners({uid for uid, _course in pairs} if user is None else {user})
    if user is not None:
        list(CourseStatus.objects.select_for_update().filter(user_id=user).values_list("pk"))
        return
    courses: dict[int, list[str]] = {}
    for uid, course in pairs:
        courses.setdefault(uid, []).append(course)
    missing = _lock_statuses(courses)
    if missing:
        blank = [CourseStatus(user_id=uid, course_key=course) for uid, course in missing]
        CourseStatus.objects.bulk_create(blank, ignore_conflicts=True)
        again: dict[int, list[str]] = {}
        for uid, course in missing:
            again.setdefault(uid, []).append(course)
        _lock_statuses(again)


@contextmanager
def tracking(
    pairs: Iterable[Pair] = (), user: int | None = None, into: Stock | None = None
) -> Iterator[None]:
    """Keep the stock right across the writes inside the block to these enrolments (or ``user``'s).

    Call inside a transaction. The open spells, then the status rows are locked first (``_lock``),
    so a concurrent writer of the same enrolment or a move of the learner waits; the difference
    is added to the stock at the end, or to ``into`` for a caller that adds many learners'
    differences at once (the stock rows are then locked last in its transaction, in key order).
    """
    wanted = sorted(set(pairs))
    _lock(wanted, user)
    before = held(wanted, user)
    yield
    delta = held(wanted, user)
    delta.subtract(before)
    if into is not None:
        into.update(delta)
    else:
        apply(delta)


def apply(delta: Stock) -> None:
    """Add these differences to the stock rows (inserted when missing), in key order."""
    by_key: dict[Key, dict[str, int]] = {}
    for (key, column), n in delta.items():
        if n:
            by_key.setdefault(key, dict.fromkeys(COLUMNS, 0))[column] += n
    rows = [(*key, *(by_key[key][c] for c in COLUMNS)) for key in sorted(by_key)]
    add_rows(connection, CountyDayStock._meta.db_table, KEY_FIELDS, COLUMNS, rows)


def counts(scope: Scope, q: FigureQuery, column: str = "") -> list[dict[str, Any]]:
    """The learner counts of ``q`` per ``column`` value, as ``figures``' pass returns its rows.

    Only when ``exact_for(q)`` and the question names no course and no employer (the stock has
    neither); one grouped ``SUM`` over the asked region's rows from the period's first day on.
    """
    return summed(scope.filter_profiles(CountyDayStock.objects.filter(day__gte=q.start)), q, column)


def summed(rows: QuerySet[Any], q: FigureQuery, column: str = "") -> list[dict[str, Any]]:
    """``COLUMNS`` summed over rows of learner counts (the stock's or a closed period's), per ``column``."""
    if q.category:
        rows = rows.filter(category_code=q.category)
    sums = {f"n_{c}": Sum(c) for c in COLUMNS}
    if column:
        grouped: Any = rows.values(column).annotate(**sums).order_by()
    else:
        grouped = [rows.aggregate(**sums)]
    return [
        {"child": row.get(column, ""), **{c: int(row[f"n_{c}"] or 0) for c in COLUMNS}} for row in grouped
    ]


def _expected_sql(status: str, spell: str) -> list[tuple[str, tuple[str, ...], list[Any]]]:
    """Three grouped queries (SQL, the columns they fill, parameters) over open enrolments × open spells."""
    joined = (
        f"FROM {status} s JOIN {spell} p ON p.user_id = s.user_id AND p.valid_to IS NULL "
        "WHERE s.enrolled_on IS NOT NULL AND s.unenrolled_on IS NULL"
    )
    select, group = (
        "SELECT p.province_code, p.city_code, p.county_code, p.category_code",
        "GROUP BY 1, 2, 3, 4, 5",
    )
    examined, upper = "CASE WHEN s.examined_on IS NULL THEN 0", 101
    facts = [f"{examined} ELSE 1 END", f"{examined} WHEN s.best_score IS NULL THEN 0 ELSE 1 END"]
    facts.append(f"{examined} ELSE COALESCE(s.best_score, 0) END")
    for low, _label in BANDS:
        facts.append(f"{examined} WHEN s.best_score >= {low} AND s.best_score < {upper} THEN 1 ELSE 0 END")
        upper = low
    sums = ", ".join(f"SUM({fact})" for fact in facts)
    study_day = (
        "CASE WHEN s.last_study_day IS NULL THEN %s WHEN s.completed_on < s.last_study_day "
        "THEN s.completed_on ELSE s.last_study_day END"
    )
    return [
        (
            f"{select}, COALESCE(s.completed_on, %s), COUNT(*), {sums} {joined} {group}",
            ("enrolled", "examined", "scored", "score_sum", *BAND_COLUMNS),
            [LATE],
        ),
        (f"{select}, {study_day}, COUNT(*) {joined} {group}", ("studying",), [EARLY]),
        (
            f"{select}, s.completed_on, COUNT(*) {joined} AND s.completed_on IS NOT NULL {group}",
            ("completed",),
            [],
        ),
    ]


def _as_day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def expected(status: Any = CourseStatus, spell: Any = RegionSpell) -> dict[Key, dict[str, int]]:
    """The stock that the status rows and the open spells add up to (rows with a count only)."""
    found: dict[Key, dict[str, int]] = {}
    with connection.cursor() as cursor:
        for sql, columns, params in _expected_sql(status._meta.db_table, spell._meta.db_table):
            cursor.execute(sql, params)
            for row in cursor.fetchall():
                key = (row[0], row[1], row[2], row[3], _as_day(row[4]))
                values = found.setdefault(key, dict.fromkeys(COLUMNS, 0))
                for column, n in zip(columns, row[5:], strict=True):
                    values[column] += int(n or 0)
    return found


def current() -> dict[Key, dict[str, int]]:
    """Every stock row as held, but those that count nothing (a key whose enrolments all moved on)."""
    rows = CountyDayStock.objects.values_list(*KEY_FIELDS, *COLUMNS)
    held_rows = {tuple(r[:5]): dict(zip(COLUMNS, r[5:], strict=True)) for r in rows.iterator(chunk_size=5000)}
    return {key: v for key, v in held_rows.items() if any(v.values())}


def rebuild_all(status: Any = CourseStatus, spell: Any = RegionSpell, stock: Any = CountyDayStock) -> int:
    """Overwrite the stock with ``expected`` (the rebuild, a bulk load, the migration); rows written."""
    found = expected(status, spell)
    stock.objects.all().delete()
    rows = [
        stock(**dict(zip(KEY_FIELDS, key, strict=True)), **values) for key, values in sorted(found.items())
    ]
    stock.objects.bulk_create(rows, batch_size=CHUNK * 4)
    return len(rows)


def differences() -> list[str]:
    """Where the held stock differs from what the status rows and open spells add up to."""
    want, have = expected(), current()
    return [
        f"stock {key}: statuses {want.get(key)} roll-up {have.get(key)}"
        for key in sorted(set(want) | set(have), key=str)
        if want.get(key) != have.get(key)
    ]
