"""The flusher: idempotent under repeats and under a crash between the database write and the ack."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import override_settings

from xueshi_studytime import hotstate
from xueshi_studytime.flusher import ensure_group, flush, read_batch, write_batch
from xueshi_studytime.models import DailyStudyTotal, LedgerEntry, RefusedHeartbeat, VideoProgress

from .conftest import play

pytestmark = [pytest.mark.component, pytest.mark.django_db]


def totals(user):
    return (
        sum(LedgerEntry.objects.filter(user=user).values_list("credited_ms", flat=True)),
        DailyStudyTotal.objects.get(user=user).credited_ms,
        RefusedHeartbeat.objects.filter(user=user).count(),
    )


def test_flushing_twice_writes_once(learner, open_player, clock):
    player = open_player(learner)
    play(player, clock, 0, 90)
    player.beat(500, event="seek")
    assert flush(claim_idle_ms=0) == 5
    assert flush(claim_idle_ms=0) == 0
    assert totals(learner) == (90_000, 90_000, 1)
    assert hotstate.client().xlen(hotstate.stream_key(0)) == 0, "acked entries are deleted"


def test_flusher_killed_after_commit_before_ack_counts_nothing_twice(learner, open_player, clock):
    player = open_player(learner)
    play(player, clock, 0, 60)
    player.beat(400, event="seek")
    stream = hotstate.stream_key(0)
    ensure_group(stream)
    # flusher "dead" reads and commits, then dies before XACK
    entries = read_batch(stream, "dead-flusher", 100, claim_idle_ms=60_000)
    assert len(entries) == 4
    write_batch([e for _id, e in entries])
    assert totals(learner) == (60_000, 60_000, 1)
    pending = hotstate.client().xpending(stream, hotstate.GROUP)
    assert pending["pending"] == 4
    # a live flusher does not steal entries that are not idle yet ...
    assert flush(consumer="live-flusher", claim_idle_ms=60_000) == 0
    # ... and reclaims them once they are; the rewrite inserts nothing twice
    assert flush(consumer="live-flusher", claim_idle_ms=0) == 4
    assert totals(learner) == (60_000, 60_000, 1)
    assert hotstate.client().xpending(stream, hotstate.GROUP)["pending"] == 0
    progress = VideoProgress.objects.get(user=learner)
    assert progress.intervals == [[0.0, 60.0]] and progress.watched_seconds == 60


def test_progress_written_in_later_batches_merges_into_the_same_row(learner, open_player, clock):
    """Later batches update the learner's row (one upsert per batch): union, frontier, last beat."""
    player = open_player(learner)
    play(player, clock, 0, 60)
    assert flush(claim_idle_ms=0) == 3
    first = VideoProgress.objects.get(user=learner)
    assert first.intervals == [[0.0, 60.0]] and first.last_position == 60
    play(player, clock, 60, 60)
    player.beat(150, event="seek")  # refused: nothing past the frontier joins the coverage
    assert flush(claim_idle_ms=0) == 4
    rows = list(VideoProgress.objects.filter(user=learner))
    assert len(rows) == 1 and rows[0].pk == first.pk, "the same row is updated, never a second one"
    progress = rows[0]
    assert progress.intervals == [[0.0, 120.0]] and progress.watched_seconds == 120
    assert progress.frontier == 120 and progress.last_position == 120
    assert progress.last_heartbeat_at > first.last_heartbeat_at
    assert progress.course_key == first.course_key and progress.usage_key == first.usage_key


def test_a_flush_that_fails_midway_leaves_entries_pending_for_the_next(learner, open_player, clock):
    player = open_player(learner)
    play(player, clock, 0, 30)
    stream = hotstate.stream_key(0)
    ensure_group(stream)
    entries = read_batch(stream, "crashy", 100, claim_idle_ms=60_000)
    assert entries and LedgerEntry.objects.count() == 0  # died before writing anything
    assert flush(consumer="crashy") == 2  # its own pending entries come first on restart
    assert totals(learner) == (30_000, 30_000, 0)


def test_inline_flush_and_management_command(learner, open_player, clock):
    with override_settings(XUESHI_STUDYTIME_FLUSH_INLINE=True):
        player = open_player(learner)
        play(player, clock, 0, 30)
    assert totals(learner) == (30_000, 30_000, 0)
    play(player, clock, 30, 30)
    call_command("xueshi_studytime_flush", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert totals(learner)[0] == 60_000


def test_celery_task_runs_the_flusher(learner, open_player, clock):
    from xueshi_studytime.tasks import flush_ledger

    play(open_player(learner), clock, 0, 30)
    assert flush_ledger.apply().get() == 2
    assert totals(learner) == (30_000, 30_000, 0)
