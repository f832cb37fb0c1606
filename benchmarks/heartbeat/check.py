"""The ledger check: after the flusher drains, compare MariaDB and Redis with what learners did.

Per learner and block, with ``watched`` and ``reported`` from ``learner.py`` and ``credited`` the
coverage MariaDB holds (``VideoProgress.intervals``):

- nothing doubled: the ledger rows of a block add up to the length of its coverage (each content
  second credited once), and daily totals equal the ledger rows;
- nothing lost between the web process and MariaDB: the credit every reply announced equals the
  ledger rows, and Redis' day counters equal MariaDB's daily totals;
- nothing credited that was not watched: ``credited ⊆ watched``;
- nothing watched and reported left out: ``reported ⊆ credited``, except stretches the server
  visibly clipped for arrival timing (``clipped``, counted apart); any other remainder is lost.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .intervals import length, minus

MS_PER_ROW = 1  # each reply and each ledger row rounds its seconds to whole milliseconds
SECONDS_SLACK = 0.002  # float rounding of positions (sent with 3 decimals)


def _ledger(user_ids: list[int]) -> tuple[dict[Any, int], dict[Any, int], dict[int, int], dict[Any, Any]]:
    from django.db.models import Count, Sum

    from xueshi_studytime.models import DailyStudyTotal, LedgerEntry, VideoProgress

    rows = (
        LedgerEntry.objects.filter(user_id__in=user_ids)
        .values_list("user_id", "usage_key")
        .annotate(ms=Sum("credited_ms"), n=Count("id"))
    )
    ledger_ms = {(uid, str(usage)): int(ms) for uid, usage, ms, _n in rows}
    ledger_rows = {(uid, str(usage)): int(n) for uid, usage, _ms, n in rows}
    totals: dict[int, int] = defaultdict(int)
    for uid, ms in DailyStudyTotal.objects.filter(user_id__in=user_ids).values_list("user_id", "credited_ms"):
        totals[uid] += int(ms)
    progress = {
        (uid, str(usage)): intervals
        for uid, usage, intervals in VideoProgress.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "usage_key", "intervals"
        )
    }
    return ledger_ms, ledger_rows, totals, progress


def _redis_day_ms(user_ids: list[int]) -> dict[int, int]:
    """Redis' credited-ms day counters per learner (one scan of this run's keyspace)."""
    from xueshi_studytime import conf, hotstate

    r, wanted = hotstate.client(), set(user_ids)
    found: dict[int, int] = dict.fromkeys(user_ids, 0)
    keys = list(r.scan_iter(match=f"{{{conf.key_prefix()}*}}:d:*", count=5000))
    for start in range(0, len(keys), 1000):
        chunk = keys[start : start + 1000]
        for key, value in zip(chunk, r.mget(chunk), strict=True):
            uid = int(key.split(":d:", 1)[1].split(":", 1)[0])
            if uid in wanted:
                found[uid] += int(value or 0)
    return found


def check(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Run every comparison; return totals and the first few mismatches of each kind."""
    user_ids = [r["user_id"] for r in records]
    ledger_ms, ledger_rows, totals, progress = _ledger(user_ids)
    redis_ms = _redis_day_ms(user_ids)
    problems: dict[str, list[str]] = defaultdict(list)
    names = ("watched_s", "reported_s", "credited_s", "clipped_uncredited_s", "lost_s", "unwatched_credit_s")
    sums = dict.fromkeys(names, 0.0)
    for record in records:
        uid = record["user_id"]
        user_ms = sum(ms for (u, _b), ms in ledger_ms.items() if u == uid)
        rows = sum(n for (u, _b), n in ledger_rows.items() if u == uid)
        if abs(user_ms - record["credited_ms"]) > MS_PER_ROW * max(rows, 1):
            problems["replies_vs_ledger"].append(
                f"user {uid}: replies {record['credited_ms']} ms, ledger {user_ms}"
            )
        if totals.get(uid, 0) != user_ms:
            problems["daily_totals_vs_ledger"].append(
                f"user {uid}: totals {totals.get(uid, 0)}, ledger {user_ms}"
            )
        if redis_ms.get(uid, 0) != totals.get(uid, 0):
            problems["redis_vs_mariadb"].append(
                f"user {uid}: redis {redis_ms.get(uid)}, mariadb {totals.get(uid, 0)}"
            )
        blocks = set(record["watched"]) | {b for (u, b) in progress if u == uid}
        for usage in blocks:
            credited = progress.get((uid, usage), [])
            watched, reported = record["watched"].get(usage, []), record["reported"].get(usage, [])
            credited_s, block_ms = length(credited), ledger_ms.get((uid, usage), 0)
            if abs(block_ms - credited_s * 1000) > MS_PER_ROW * max(ledger_rows.get((uid, usage), 0), 1) + 1:
                problems["doubled"].append(
                    f"user {uid} {usage}: ledger {block_ms} ms, coverage {credited_s:.3f} s"
                )
            unwatched = length(minus(credited, watched))
            uncredited = minus(reported, credited)
            clipped = record.get("clipped", {}).get(usage, [])
            lost = length(minus(uncredited, clipped))
            sums["clipped_uncredited_s"] += length(uncredited) - lost
            if unwatched > SECONDS_SLACK * (len(credited) + 1):
                problems["credited_not_watched"].append(f"user {uid} {usage}: {unwatched:.3f} s")
            sums["watched_s"] += length(watched)
            sums["reported_s"] += length(reported)
            sums["credited_s"] += credited_s
            if lost > SECONDS_SLACK * (len(reported) + 1):
                sums["lost_s"] += lost
                problems["lost"].append(f"user {uid} {usage}: {lost:.3f} s {minus(uncredited, clipped)[:3]}")
            sums["unwatched_credit_s"] += unwatched
    return {
        "learners": len(records),
        **{k: round(v, 3) for k, v in sums.items()},
        "ledger_rows": sum(ledger_rows.values()),
        "problems": {k: {"count": len(v), "first": v[:5]} for k, v in problems.items()},
        "ok": not problems,
    }
