"""The benchmark's own interval arithmetic and the simulated learner's bookkeeping (no server)."""

from __future__ import annotations

import random

from benchmarks.heartbeat.intervals import length, minus, union
from benchmarks.heartbeat.learner import Block, Learner, Mix


def test_union_merges_touching_and_drops_empty():
    assert union([(5, 10), (0, 5), (12, 12), (11, 13)]) == [(0.0, 10.0), (11.0, 13.0)]
    assert length([(0, 10), (5, 15)]) == 15


def test_minus_leaves_the_uncovered_parts():
    assert minus([(0, 10), (20, 30)], [(2, 4), (8, 25)]) == [(0.0, 2.0), (4.0, 8.0), (25.0, 30.0)]
    assert minus([(0, 10)], []) == [(0.0, 10.0)]
    assert minus([(0, 10)], [(0, 10)]) == []


def reply(call, credited=None):
    """A server that credits every reported stretch and keeps the reported position."""
    return {"accepted": True, "credited": credited or 0.0, "reason": None, "position": call.position}


def test_an_honest_learner_reports_what_it_watched():
    block = Block("course-v1:A+B+C", "block-v1:A+B+C+type@xueshi_video+block@v", 600.0)
    learner = Learner(1, [block], random.Random(1), Mix(0, 0, 0, 0, 0, 0))
    learner.start(0.0)
    now = learner.next_due()
    call = learner.next_call(now)
    assert call.name == "open_session"
    learner.on_reply(call, 200, {"token": "t", "resume_position": 0.0, "heartbeat_seconds": 30}, now)
    for _ in range(5):
        now = learner.next_due()
        call = learner.next_call(now)
        learner.on_reply(call, 200, reply(call), now + 0.01)
    record = learner.record()
    watched = record["watched"][block.usage]
    assert record["reported"][block.usage] == watched and length(watched) > 90
    assert list(record["reasons"]) == ["accepted"] and not record["clipped"]


def test_a_clipped_beat_is_recorded_and_the_player_moves_back():
    block = Block("course-v1:A+B+C", "block-v1:A+B+C+type@xueshi_video+block@v", 600.0)
    learner = Learner(1, [block], random.Random(1), Mix(0, 0, 0, 0, 0, 0))
    learner.start(0.0)
    now = learner.next_due()
    open_call = learner.next_call(now)
    learner.on_reply(open_call, 200, {"token": "t", "resume_position": 0.0}, now)
    now = learner.next_due()
    learner.on_reply(learner.next_call(now), 200, {"position": 0.0}, now)  # play
    now = learner.next_due()
    tick = learner.next_call(now)
    learner.on_reply(tick, 200, {"position": tick.position - 10, "credited": 20.0}, now)
    assert learner.record()["clipped"][block.usage] == [(tick.position - 10, tick.position)]
    assert learner.device.position == tick.position - 10 and learner.resyncs == 1


def test_a_learner_ticks_once_per_interval_whatever_it_does_in_between():
    """One playback, one tick chain: pauses, hidden tabs, seeks and takeovers never add a second one."""
    blocks = [Block("c", f"block-{n}", minutes * 60.0) for n, minutes in enumerate((20, 30, 45))]
    learner = Learner(1, blocks, random.Random(3), Mix(pause=0.1, hide=0.1, seek_back=0.05, takeover=0.02))
    learner.start(0.0)
    ticks = 0
    while (now := learner.next_due()) < 6000:
        call = learner.next_call(now)
        ticks += call.action == "tick"
        body = {"token": "t", "resume_position": 0.0, "position": call.position, "credited": 0.0}
        learner.on_reply(call, 200, body, now + 0.05)
    assert 100 < ticks <= 6000 / 30 + 5
