"""Holds (a check another app requires before crediting resumes) and forced ends of playback."""

from __future__ import annotations

import pytest
from django.dispatch import receiver

from xueshi_studytime import api, hotstate
from xueshi_studytime.flusher import flush
from xueshi_studytime.models import DailyStudyTotal, PlaybackSession, RefusedHeartbeat, StudyHold
from xueshi_studytime.signals import PLAYBACK_SESSION_OPENED

from .conftest import USAGE, USAGE_2, play

pytestmark = [pytest.mark.component, pytest.mark.django_db]


def test_a_hold_stops_credit_in_every_block_until_released(learner, open_player, clock):
    player = open_player(learner)
    play(player, clock, 0, 30)
    api.place_hold(learner.id, "face_check", url="/xueshi/face/check/", reason="random check")
    clock.advance(30)
    body = player.beat(60).json()
    assert body["reason"] == "hold" and body["credited"] == 0 and body["accepted"] is False
    expected = {"kind": "face_check", "url": "/xueshi/face/check/", "not_before": clock.now - 30}
    assert body["holds"] == [expected]
    assert body["message"]
    assert api.release_hold(learner.id, "face_check") is True
    assert api.release_hold(learner.id, "face_check") is False
    clock.advance(30)
    body = player.beat(60).json()  # the held stretch earned nothing: the player resumes from 30
    assert body["reason"] is None and body["holds"] == [] and body["credited"] == 30
    flush(claim_idle_ms=0)
    assert DailyStudyTotal.objects.get(user=learner).credited_ms == 60_000
    assert RefusedHeartbeat.objects.filter(user=learner, reason="hold").count() == 1
    row = StudyHold.objects.get(user=learner)
    assert row.released_at is not None and row.release_reason == "passed" and row.reason == "random check"


def test_a_hold_scheduled_ahead_takes_effect_at_its_time_and_is_not_shown_before(learner, open_player, clock):
    api.place_hold(learner.id, "face_check", url="/check/", not_before=clock.now + 61)
    player = open_player(learner)
    assert player.grant.holds == ()  # the player is not told when a random check will come
    responses = play(player, clock, 0, 60)
    assert [r.json()["credited"] for r in responses] == [0, 30, 30]
    clock.advance(30)
    assert player.beat(90).json()["reason"] == "hold"
    assert [h.kind for h in api.active_holds(learner.id)] == ["face_check"]


def test_holds_survive_a_lost_redis_copy_and_are_restored_at_open(learner, open_player, clock):
    api.place_hold(learner.id, "face_signin", url="/signin-check/")
    hotstate.client().delete(hotstate.Keys(learner.id).holds)  # Redis restarted empty
    player = open_player(learner)
    assert player.grant.holds == ({"kind": "face_signin", "url": "/signin-check/", "not_before": clock.now},)
    player.beat(0, event="play")
    clock.advance(30)
    assert player.beat(30).json()["reason"] == "hold"


def test_placing_a_kind_again_replaces_it_and_bad_kinds_are_refused(learner):
    api.place_hold(learner.id, "face_check", url="/a/")
    api.place_hold(learner.id, "face_check", url="/b/")
    assert [h.url for h in api.active_holds(learner.id)] == ["/b/"]
    assert StudyHold.objects.filter(user=learner, release_reason="replaced").count() == 1
    for bad in ("", "Face Check", "x" * 40, "检查"):
        with pytest.raises(ValueError, match="slug"):
            api.place_hold(learner.id, bad)


def test_a_receiver_of_session_opened_can_hold_the_new_session(learner, open_player, clock):
    seen = []

    @receiver(PLAYBACK_SESSION_OPENED)
    def schedule(sender, user_id, course_key, usage_key, session_id, client, **kwargs):
        seen.append((user_id, course_key, usage_key, session_id, client))
        api.place_hold(user_id, "face_check", url="/check/")

    try:
        player = open_player(learner)
    finally:
        PLAYBACK_SESSION_OPENED.disconnect(schedule)
    assert seen == [(learner.id, "course-v1:Xueshi+ST101+2026", USAGE, player.grant.session_id, "web")]
    assert [h["kind"] for h in player.grant.holds] == ["face_check"]


def test_end_playback_stops_the_live_player_and_records_why(learner, open_player, clock):
    player = open_player(learner)
    play(player, clock, 0, 30)
    assert api.end_playback(learner.id, "signed_in_elsewhere") == 1
    assert api.end_playback(learner.id, "signed_in_elsewhere") == 0  # already ended: nothing twice
    clock.advance(30)
    body = player.beat(60).json()
    assert body["stop"] is True and body["lease"] == "lost" and body["credited"] == 0
    clock.advance(600)  # the lease has long lapsed; the ended player still cannot come back
    assert player.beat(70, seq=50).json()["lease"] == "lost"
    fresh = open_player(learner, usage=USAGE_2)
    assert fresh.grant.replaced_session is False
    flush(claim_idle_ms=0)
    session = PlaybackSession.objects.get(pk=player.grant.session_id)
    assert session.end_reason == "signed_in_elsewhere" and session.ended_at is not None
