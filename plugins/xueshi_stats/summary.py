"""The day × region summary (``DayRegionStudy``): kept equal to the sums of ``DailyStudy`` (ADR 0301).

Every write to ``DailyStudy`` names the summary keys it touched (the day and the region stamp
before and after), and ``refresh`` recomputes those keys *absolutely* from ``DailyStudy``, as the
other roll-ups do from their sources: a refresh repeated or run twice in parallel writes the same
rows. The figures read it where a question has no course and no employer (the summary has neither:
with them a region's own ``DailyStudy`` rows are few and their indexes serve).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Count, Q, Sum

from .models import Cursor, DailyStudy, DayRegionStudy

#: day, province, city, county, personnel category
Key = tuple[date, str, str, str, str]
KEY_FIELDS = ("day", "province_code", "city_code", "county_code", "category_code")
CHUNK = 500
LOCK = "day-summary"  # the Cursor row whose lock every summary writer holds (``lock``)


def key_of(day: date, region: tuple[str, ...]) -> Key:
    """The summary key of a daily row stamped with ``region`` (``regions.Region``'s order)."""
    return (day, region[0], region[1], region[2], region[4])


def keys_of_learner(user_id: int, since: date) -> set[Key]:
    """The keys a learner's daily rows from ``since`` on count in (read before re-stamping them)."""
    rows = DailyStudy.objects.filter(user_id=user_id, day__gte=since).values_list(*KEY_FIELDS).distinct()
    return {tuple(r) for r in rows}  # type: ignore[misc]


def sums(rows: Any) -> dict[Key, tuple[int, int]]:
    """``DailyStudy`` rows grouped by summary key: credited ms and distinct learners."""
    grouped = rows.values_list(*KEY_FIELDS).annotate(ms=Sum("credited_ms"), n=Count("user_id", distinct=True))
    return {tuple(r[:5]): (int(r[5] or 0), int(r[6])) for r in grouped.order_by()}  # type: ignore[misc]


def lock() -> None:
    """Take the summary's writer lock (a ``Cursor`` row), held to the end of the transaction.

    ``refresh`` recomputes rows absolutely from ``DailyStudy``. Two writers of one key in parallel
    (the ledger's study days and the profiles' moves run under different cursors) would each sum
    without the other's uncommitted daily rows, and the last to commit would overwrite the other's
    change with its stale sum; their multi-row upserts and deletes would also lock summary rows in
    different orders (a deadlock, ADR 0305). Holding this lock, a refresher sums what every earlier
    refresher committed (READ COMMITTED reads the newest commit per statement) and is the only
    writer of summary rows. Every caller holds its learners' spells already, and takes the stock's
    rows only after this: the lock order stays spells, status and daily rows, summary, stock.
    """
    Cursor.objects.get_or_create(name=LOCK)
    list(Cursor.objects.select_for_update().filter(name=LOCK).values_list("pk"))


def refresh(keys: Iterable[Key]) -> None:
    """Recompute these summary rows from ``DailyStudy`` (a key with no study left is deleted)."""
    wanted = sorted(set(keys))
    if wanted:
        lock()
    for start in range(0, len(wanted), CHUNK):
        chunk = set(wanted[start : start + CHUNK])
        days, counties = {k[0] for k in chunk}, {k[3] for k in chunk}
        found = {
            key: value
            for key, value in sums(DailyStudy.objects.filter(county_code__in=counties, day__in=days)).items()
            if key in chunk
        }
        write(found)
        gone = Q()
        for key in chunk - set(found):
            gone |= Q(**dict(zip(KEY_FIELDS, key, strict=True)))
        if gone:
            DayRegionStudy.objects.filter(gone).delete()


def write(found: dict[Key, tuple[int, int]]) -> None:
    """Insert or overwrite these summary rows."""
    from .rollup import upsert

    rows = [
        DayRegionStudy(**dict(zip(KEY_FIELDS, key, strict=True)), credited_ms=ms, learners=n)
        for key, (ms, n) in found.items()
    ]
    upsert(
        DayRegionStudy,
        rows,
        ["day", "county_code", "city_code", "province_code", "category_code"],
        ["credited_ms", "learners"],
    )


def refresh_all() -> int:
    """Recompute every summary row from ``DailyStudy`` (after a bulk load); rows written."""
    lock()
    found = sums(DailyStudy.objects.all())
    DayRegionStudy.objects.all().delete()
    items = list(found.items())
    for start in range(0, len(items), CHUNK * 10):
        write(dict(items[start : start + CHUNK * 10]))
    return len(found)


def current() -> dict[Key, tuple[int, int]]:
    """Every summary row as held."""
    rows = DayRegionStudy.objects.values_list(*KEY_FIELDS, "credited_ms", "learners")
    return {tuple(r[:5]): (r[5], r[6]) for r in rows.iterator(chunk_size=5000)}  # type: ignore[misc]


def expected(
    days: dict[tuple[int, str, date], tuple[int, int, tuple[str, ...]]],
) -> dict[Key, tuple[int, int]]:
    """The summary that daily rows ``(learner, course, day) → (ms, sessions, region)`` add up to."""
    ms: dict[Key, int] = {}
    learners: dict[Key, set[int]] = {}
    for (uid, _course, day), (credited, _n, region) in days.items():
        key = key_of(day, region)
        ms[key] = ms.get(key, 0) + credited
        learners.setdefault(key, set()).add(uid)
    return {key: (ms[key], len(learners[key])) for key in ms}
