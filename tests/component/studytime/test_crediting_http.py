"""Crediting over the real HTTP endpoint, against Redis and MariaDB: play, seek, speed, replay, gap,
hidden, idle challenge, completion, flush."""

from __future__ import annotations

import pytest

from xueshi_studytime.api import credited_seconds_on, get_progress, summary
from xueshi_studytime.data import VideoPolicy
from xueshi_studytime.models import (
    DailyStudyTotal,
    IdleChallenge,
    LedgerEntry,
    RefusedHeartbeat,
    VideoProgress,
)

from .conftest import COURSE, SUMMARY, USAGE, play

pytestmark = [pytest.mark.component, pytest.mark.django_db]


def ledger_ms(user):
    return sum(LedgerEntry.objects.filter(user=user).values_list("credited_ms", flat=True))


def test_honest_playback_is_credited_and_flushed(learner, open_player, clock, flushed):
    player = open_player(learner)
    responses = play(player, clock, 0, 120)
    assert [r.status_code for r in responses] == [200] * 5
    body = responses[-1].json()
    assert body["accepted"] and body["credited"] == 30 and body["reason"] is None
    assert body["frontier"] == 120 and body["credited_today_seconds"] == 120 and body["lease"] == "held"
    assert LedgerEntry.objects.count() == 0, "the web path never writes MariaDB"
    assert flushed() == 5
    assert ledger_ms(learner) == 120_000
    total = DailyStudyTotal.objects.get(user=learner)
    assert total.credited_ms == 120_000 and str(total.course_key) == COURSE
    progress = VideoProgress.objects.get(user=learner)
    assert progress.intervals == [[0.0, 120.0]] and progress.frontier == 120
    assert credited_seconds_on(learner.id, COURSE) == 120
    assert get_progress(learner.id, USAGE).watched_seconds == 120


def test_seek_beyond_frontier_is_refused_and_recorded(learner, open_player, clock, flushed):
    player = open_player(learner)
    play(player, clock, 0, 60)
    clock.advance(10)
    body = player.beat(400, event="seek").json()
    assert body["accepted"] is False and body["reason"] == "seek" and body["credited"] == 0
    assert body["position"] == 60 and body["frontier"] == 60
    clock.advance(30)
    after = player.beat(90).json()  # still ahead of the frontier the server kept
    assert after["credited"] <= 31
    flushed()
    refused = RefusedHeartbeat.objects.get(reason="seek")
    assert refused.reported_position == 400 and refused.position == 60 and refused.user == learner


def test_speed_not_allowed_earns_nothing(learner, open_player, clock):
    player = open_player(learner)
    player.beat(0, event="play")
    clock.advance(30)
    body = player.beat(60, rate=2.0, event="rate").json()
    assert body["reason"] == "speed" and body["credited"] == 0
    clock.advance(30)
    assert player.beat(120, rate=2.0).json()["reason"] == "speed"


def test_timer_speedup_at_reported_rate_one_is_capped_by_server_time(learner, open_player, clock):
    player = open_player(learner)
    player.beat(0, event="play")
    clock.advance(30)
    body = player.beat(58).json()  # page clocks run ~2x: 58 s of media in 30 s of server time
    assert body["credited"] <= 31 and body["position"] <= 31


def test_replayed_and_out_of_order_seq_are_refused(learner, open_player, clock, flushed):
    player = open_player(learner)
    play(player, clock, 0, 30)
    assert player.beat(30, seq=2).json()["reason"] == "replay"
    assert player.beat(30, seq=1).json()["reason"] == "replay"
    flushed()
    assert ledger_ms(learner) == 30_000
    assert RefusedHeartbeat.objects.filter(reason="replay").count() == 2


def test_gap_longer_than_two_intervals_earns_nothing(learner, open_player, clock):
    player = open_player(learner)
    player.beat(0, event="play")
    clock.advance(100)
    body = player.beat(100).json()
    assert body["reason"] == "gap" and body["credited"] == 0 and body["position"] == 0


def test_hidden_and_paused_segments_earn_nothing(learner, open_player, clock, flushed):
    player = open_player(learner)
    assert player.beat(0, event="play").json()["reason"] is None, "starting play is not a refusal"
    clock.advance(10)
    assert player.beat(10, playing=False, visible=False, event="hide").json()["credited"] == 10
    clock.advance(30)
    body = player.beat(10, event="show").json()  # honest player: paused while hidden
    assert body["reason"] is None and body["credited"] == 0
    clock.advance(30)
    assert player.beat(40).json()["credited"] == 30
    clock.advance(5)
    player.beat(45, playing=True, visible=False, event="hide")  # keeps playing in the background
    clock.advance(30)
    body = player.beat(75, event="show").json()
    assert body["reason"] == "hidden" and body["credited"] == 0 and body["position"] == 45
    clock.advance(1)
    player.beat(45, playing=False, event="pause")
    clock.advance(30)
    assert player.beat(75, event="play").json()["reason"] == "paused"
    player.beat(45, playing=False, event="pause")
    clock.advance(600)  # a long pause, then play: no gap, no refusal
    assert player.beat(45, event="play").json()["reason"] is None
    clock.advance(30)
    assert player.beat(75).json()["credited"] == 30
    flushed()
    assert sorted(RefusedHeartbeat.objects.values_list("reason", flat=True)) == ["hidden", "paused"]


def test_idle_challenge_stops_credit_until_answered(learner, open_player, clock, client, flushed):
    from xueshi_studytime.challenges import code_for

    player = open_player(learner, policy=VideoPolicy(duration=600.0, anti_idle_seconds=60))
    responses = play(player, clock, 0, 60)
    challenge = responses[-1].json()["challenge"]
    assert challenge and challenge["id"] and challenge["prompt"] and challenge["image_url"]
    assert code_for(challenge["id"]) not in responses[-1].content.decode()
    clock.advance(30)
    assert player.beat(90).json()["reason"] == "challenge_pending"
    bad = player.http.post(
        "/api/xueshi/studytime/v1/challenges/answer",
        {"token": player.token, "challenge_id": "nope", "code": "1234"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["error"] == "challenge_unknown"
    ok = player.http.post(
        "/api/xueshi/studytime/v1/challenges/answer",
        {"token": player.token, "challenge_id": challenge["id"], "code": code_for(challenge["id"])},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json() == {"answered": True}
    player.beat(60, event="play")
    clock.advance(30)
    assert player.beat(90).json()["credited"] == 30
    flushed()
    assert IdleChallenge.objects.get(challenge_id=challenge["id"]).status == IdleChallenge.ANSWERED


def test_completion_signal_once_at_coverage_threshold(learner, open_player, clock, flushed):
    from xueshi_studytime.signals import VIDEO_COVERAGE_COMPLETED

    received = []

    def on_done(sender, **kw):
        received.append(kw)

    VIDEO_COVERAGE_COMPLETED.connect(on_done)
    try:
        player = open_player(learner, policy=VideoPolicy(duration=100.0, anti_idle_seconds=0))
        responses = play(player, clock, 0, 100, step=25)
        assert responses[-1].json()["completed"] is True
        flushed()
        flushed()
        assert [r["usage_key"] for r in received] == [USAGE]
        assert received[0]["coverage"] >= 0.95
        assert VideoProgress.objects.get(user=learner).completed_at is not None
    finally:
        VIDEO_COVERAGE_COMPLETED.disconnect(on_done)


def test_rewatching_earns_nothing_twice(learner, open_player, clock, flushed):
    player = open_player(learner)
    play(player, clock, 0, 60)
    clock.advance(2)
    player.beat(0, event="seek")
    play(player, clock, 0, 60)
    flushed()
    assert ledger_ms(learner) == 60_000


def test_summary_endpoint_reports_own_days_and_blocks(learner, open_player, clock, client, flushed):
    player = open_player(learner)
    play(player, clock, 0, 90)
    flushed()
    client.force_login(learner)
    body = client.get(SUMMARY, {"course_id": COURSE, "period": "week"}).json()
    assert body["total_seconds"] == 90 and body["blocks"] == [{"usage_id": USAGE, "seconds": 90}]
    assert len(body["days"]) == 1 and body["days"][0]["seconds"] == 90
    assert summary(learner.id, COURSE, "month").total_seconds == 90
    assert client.get(SUMMARY, {"course_id": "nope", "period": "week"}).json()["error"] == "invalid_course_id"
    assert client.get(SUMMARY, {"course_id": COURSE, "period": "year"}).status_code == 400


def test_completion_reaches_edx_completion_when_tracking_is_on(learner, open_player, clock, flushed):
    from completion.models import BlockCompletion
    from waffle.models import Switch

    switch, _ = Switch.objects.update_or_create(
        name="completion.enable_completion_tracking", defaults={"active": True}
    )
    switch.flush()  # waffle drops its cache on commit, which a test transaction never reaches
    player = open_player(learner, policy=VideoPolicy(duration=60.0, anti_idle_seconds=0))
    player.beat(0, event="play", playing=True)
    clock.advance(30)
    player.beat(30, event="ended", playing=True)  # the browser's "ended" at 50% coverage completes nothing
    flushed()
    assert not BlockCompletion.objects.filter(user=learner).exists()
    clock.advance(30)
    player.beat(60, event="ended")
    flushed()
    done = BlockCompletion.objects.get(user=learner)
    assert done.completion == 1.0 and str(done.block_key) == USAGE


def test_completion_is_not_submitted_when_tracking_is_off(learner, open_player, clock, flushed):
    from completion.models import BlockCompletion
    from waffle.models import Switch

    switch, _ = Switch.objects.update_or_create(
        name="completion.enable_completion_tracking", defaults={"active": False}
    )
    switch.flush()

    play(open_player(learner, policy=VideoPolicy(duration=60.0, anti_idle_seconds=0)), clock, 0, 60)
    flushed()
    assert VideoProgress.objects.get(user=learner).completed_at is not None
    assert not BlockCompletion.objects.filter(user=learner).exists()
