"""Move ledger events from the Redis streams to MariaDB, exactly once in effect.

A consumer group reads a batch; one transaction writes it; then the entries are acknowledged and
deleted. A flusher that dies between the commit and the ack leaves its entries pending; they are
read again (by itself, or by another flusher through XAUTOCLAIM once idle) and written again, and
the second write changes nothing: ledger rows are unique on (session, seq) and daily totals grow
only by the rows actually inserted; refusals are unique on their event id; coverage merges as a
union of intervals (idempotent); challenge and session updates only move forward.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import Any

import redis
from django.db import IntegrityError, OperationalError, connection, transaction
from edx_django_utils.cache import RequestCache
from opaque_keys.edx.keys import CourseKey, UsageKey

from xueshi_core.api import add_rows

from . import challenges, conf, hotstate, risk
from .crediting import measure, merge
from .models import (
    DailyStudyTotal,
    IdleChallenge,
    LedgerEntry,
    PlaybackSession,
    RefusedHeartbeat,
    VideoProgress,
)
from .sessions import to_datetime
from .signals import VIDEO_COVERAGE_COMPLETED

log = logging.getLogger(__name__)
Entry = tuple[str, dict[str, Any]]
RETRIES = 3
PROGRESS_FIELDS = [
    "intervals",
    "duration",
    "watched_seconds",
    "coverage",
    "frontier",
    "last_position",
    "last_heartbeat_at",
    "completed_at",
]

# A batch names the same few courses and blocks hundreds of times; parsing a key costs ~60 µs.
# Keys are immutable values, so a bounded memo is safe across batches.
course_key = lru_cache(maxsize=4096)(CourseKey.from_string)
usage_key = lru_cache(maxsize=16384)(UsageKey.from_string)


def consumer_name() -> str:
    """Name of the current process and thread as a stream consumer."""
    return f"{socket.gethostname()}-{os.getpid()}-{threading.get_ident()}"


def ensure_group(stream: str) -> None:
    """Create the consumer group from the stream's start (no entry written before it is skipped)."""
    try:
        hotstate.client().xgroup_create(stream, hotstate.GROUP, id="0", mkstream=True)
    except Exception as exc:
        if "BUSYGROUP" not in str(exc):
            raise


def _decode(raw: Iterable[Any]) -> list[Entry]:
    entries: list[Entry] = []
    for entry_id, fields in raw:
        try:
            entries.append((entry_id, json.loads((fields or {})["e"])))
        except (KeyError, TypeError, ValueError):
            log.error("xueshi_studytime: dropping unreadable ledger entry %s: %r", entry_id, fields)
            entries.append((entry_id, {"k": "invalid"}))
    return entries


def read_batch(stream: str, consumer: str, count: int, claim_idle_ms: int) -> list[Entry]:
    """Own pending entries first, then a dead consumer's (XAUTOCLAIM), then new ones."""
    r = hotstate.client()
    mine = r.xreadgroup(hotstate.GROUP, consumer, {stream: "0"}, count=count)
    if mine and mine[0][1]:
        return _decode(mine[0][1])
    claimed = r.xautoclaim(
        stream, hotstate.GROUP, consumer, min_idle_time=claim_idle_ms, start_id="0-0", count=count
    )
    if claimed and claimed[1]:
        return _decode(claimed[1])
    fresh = r.xreadgroup(hotstate.GROUP, consumer, {stream: ">"}, count=count)
    return _decode(fresh[0][1]) if fresh else []


def ack(stream: str, ids: list[str]) -> None:
    """Acknowledge and delete written entries (the stream must not grow without bound)."""
    if ids:
        pipe = hotstate.client().pipeline(transaction=True)
        pipe.xack(stream, hotstate.GROUP, *ids)
        pipe.xdel(stream, *ids)
        pipe.execute()


def _add_totals(totals: dict[tuple[int, str, str], int]) -> None:
    """Increment daily totals atomically in the database (an upsert that adds, per server)."""
    rows = [(uid, course, day, ms) for (uid, course, day), ms in sorted(totals.items())]
    add_rows(
        connection, DailyStudyTotal._meta.db_table, ("user_id", "course_key", "day"), "credited_ms", rows
    )


def _ledger(beats: list[dict[str, Any]]) -> None:
    credited = {(e["sid"], e["seq"]): e for e in beats if e["cms"] > 0 and e["reason"] is None}
    if not credited:
        return
    existing = {
        (str(sid), seq)
        for sid, seq in LedgerEntry.objects.filter(
            session_id__in={k[0] for k in credited}, seq__in={k[1] for k in credited}
        ).values_list("session_id", "seq")
    }
    new = [e for key, e in credited.items() if key not in existing]
    LedgerEntry.objects.bulk_create(
        LedgerEntry(
            session_id=e["sid"],
            seq=e["seq"],
            user_id=e["uid"],
            course_key=course_key(e["course"]),
            usage_key=usage_key(e["usage"]),
            credited_ms=e["cms"],
            from_position=e["from"],
            to_position=e["to"],
            received_at=to_datetime(e["at"]),
            china_day=date.fromisoformat(e["day"]),
        )
        for e in new
    )
    totals: dict[tuple[int, str, str], int] = defaultdict(int)
    for e in new:
        totals[(e["uid"], e["course"], e["day"])] += e["cms"]
    _add_totals(totals)


def _refusals(beats: list[dict[str, Any]]) -> None:
    refused = {e["eid"]: e for e in beats if e["reason"]}
    existing = set(
        RefusedHeartbeat.objects.filter(event_id__in=list(refused)).values_list("event_id", flat=True)
    )
    RefusedHeartbeat.objects.bulk_create(
        RefusedHeartbeat(
            event_id=eid,
            session_id=e["sid"],
            seq=e["seq"],
            user_id=e["uid"],
            course_key=course_key(e["course"]),
            usage_key=usage_key(e["usage"]),
            reason=e["reason"],
            event=e["ev"],
            reported_position=e["pos"],
            reported_rate=e["rate"],
            reported_visible=e["vis"],
            reported_playing=e["play"],
            position=e["kept"],
            received_at=to_datetime(e["at"]),
            china_day=date.fromisoformat(e["day"]),
        )
        for eid, e in refused.items()
        if eid not in existing
    )


def _progress(beats: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Merge coverage into VideoProgress; return the rows that became complete in this write."""
    groups: dict[tuple[int, str], list[dict[str, Any]]] = defaultdict(list)
    for e in beats:
        if e.get("prog"):
            groups[(e["uid"], e["usage"])].append(e)
    if not groups:
        return []
    rows = {
        (row.user_id, str(row.usage_key)): row
        for row in VideoProgress.objects.select_for_update()
        .filter(user_id__in={k[0] for k in groups}, usage_key__in=[usage_key(k[1]) for k in groups])
        .order_by("pk")
    }
    completed, created, updated = [], [], []
    for (uid, usage), events in groups.items():
        row = rows.get((uid, usage))
        if row is None:
            row = VideoProgress(
                user_id=uid,
                usage_key=usage_key(usage),
                course_key=course_key(events[0]["course"]),
            )
            created.append(row)
        else:
            updated.append(row)
        intervals = merge(
            [*(tuple(iv) for iv in row.intervals), *(tuple(iv) for e in events for iv in e["prog"]["i"])]
        )
        latest = max(events, key=lambda e: e["at"])
        row.intervals = [list(iv) for iv in intervals]
        row.duration = latest["dur"]
        row.watched_seconds = measure(intervals)
        row.coverage = min(1.0, row.watched_seconds / row.duration) if row.duration else 0.0
        row.frontier = max([row.frontier, *(e["prog"]["f"] for e in events)])
        if row.last_heartbeat_at is None or to_datetime(latest["at"]) >= row.last_heartbeat_at:
            row.last_position, row.last_heartbeat_at = latest["prog"]["p"], to_datetime(latest["at"])
        done = [e for e in events if e["prog"]["c"]]
        if done and row.completed_at is None:
            row.completed_at = to_datetime(min(e["at"] for e in done))
            completed.append({"user_id": uid, "usage_key": usage, "coverage": row.coverage})
    # New rows are plain inserts: a concurrent flusher's insert of the same row is an IntegrityError,
    # and the whole batch is retried and merges with it. Updated rows are locked (FOR UPDATE above),
    # so they are written by one multi-row upsert, which MariaDB runs far cheaper than the
    # CASE WHEN per field and row that ``bulk_update`` builds.
    VideoProgress.objects.bulk_create(created)
    if updated:
        by_target = connection.features.supports_update_conflicts_with_target
        VideoProgress.objects.bulk_create(
            updated,
            update_conflicts=True,
            update_fields=PROGRESS_FIELDS,
            unique_fields=["pk"] if by_target else None,
        )
    return completed


def _challenges_and_ends(events: list[dict[str, Any]]) -> None:
    issued = {e["ch"]: e for e in events if e["k"] == "beat" and e.get("ch")}
    existing = set(
        IdleChallenge.objects.filter(challenge_id__in=list(issued)).values_list("challenge_id", flat=True)
    )
    IdleChallenge.objects.bulk_create(
        IdleChallenge(
            challenge_id=cid,
            session_id=e["sid"],
            user_id=e["uid"],
            course_key=course_key(e["course"]),
            usage_key=usage_key(e["usage"]),
            issued_at=to_datetime(e["at"]),
        )
        for cid, e in issued.items()
        if cid not in existing
    )
    challenges.write_replacements(events)  # after the issued rows, before the answers to the new codes
    pending = IdleChallenge.objects.filter(status=IdleChallenge.ISSUED)
    # A challenge is the learner's (ADR 0040): one left unanswered by an ended session may still be
    # answered in the learner's next session.
    answerable = IdleChallenge.objects.exclude(status=IdleChallenge.ANSWERED)
    for e in events:
        if e["k"] == "answer":
            answerable.filter(challenge_id=e["cid"]).update(
                status=IdleChallenge.ANSWERED, answered_at=to_datetime(e["at"])
            )
        ended = e.get("end") if e["k"] == "beat" else (e.get("reason") if e["k"] == "end" else "")
        if ended:
            if e.get("unans"):
                pending.filter(challenge_id=e["unans"]).update(status=IdleChallenge.UNANSWERED)
            PlaybackSession.objects.filter(pk=e["sid"], ended_at__isnull=True).update(
                ended_at=to_datetime(e["at"]), end_reason=ended
            )


def write_batch(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Write one batch in one transaction; retried whole on a unique-key race or a deadlock."""
    events = [e for e in events if e.get("k") in ("beat", "answer", "end", "rechallenge", "risk")]
    beats = [e for e in events if e["k"] == "beat"]
    for attempt in range(RETRIES):
        try:
            with transaction.atomic():
                _ledger(beats)
                _refusals(beats)
                completed = _progress(beats)
                _challenges_and_ends(events)
                risk.write(events)
            return completed
        except (IntegrityError, OperationalError):
            if attempt == RETRIES - 1:
                raise
            log.info("xueshi_studytime: ledger batch raced another flusher; retrying", exc_info=True)
    return []


def announce(completed: list[dict[str, Any]]) -> None:
    """Send ``VIDEO_COVERAGE_COMPLETED`` for coverage that first reached its threshold (after commit)."""
    for item in completed:
        for receiver, result in VIDEO_COVERAGE_COMPLETED.send_robust(sender=PlaybackSession, **item):
            if isinstance(result, Exception):
                log.error("xueshi_studytime: receiver %s failed: %r", receiver, result)


def flush(*, consumer: str | None = None, max_batches: int = 50, claim_idle_ms: int | None = None) -> int:
    """Flush every shard's stream until empty (or ``max_batches`` per shard); return entries written."""
    # edx-toggles memoizes switches in the request cache (edx-completion's submit_completion reads
    # one); a Celery task or a looping command is not a request, so start each run with it empty.
    RequestCache.clear_all_namespaces()
    consumer = consumer or consumer_name()
    idle = conf.flush_claim_idle_ms() if claim_idle_ms is None else claim_idle_ms
    written = 0
    for shard in range(conf.shards()):
        stream = hotstate.stream_key(shard)
        ensure_group(stream)
        for _ in range(max_batches):
            try:
                entries = read_batch(stream, consumer, conf.flush_batch_size(), idle)
            except redis.ResponseError as exc:
                # The stream (and its group) vanished under us, e.g. a Redis restart without AOF:
                # recreate the group and read again; entries written since are still there.
                if "NOGROUP" not in str(exc):
                    raise
                ensure_group(stream)
                entries = read_batch(stream, consumer, conf.flush_batch_size(), idle)
            if not entries:
                break
            completed = write_batch([e for _id, e in entries])
            ack(stream, [entry_id for entry_id, _e in entries])
            announce(completed)
            written += len(entries)
    return written
