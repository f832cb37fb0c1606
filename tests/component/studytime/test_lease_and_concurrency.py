"""One playback per account (takeover and refuse), unload, and concurrent heartbeats of one session."""

from __future__ import annotations

import threading

import pytest
from django.test import Client, override_settings

from xueshi_studytime.api import open_session
from xueshi_studytime.exceptions import LeaseRefused
from xueshi_studytime.flusher import flush
from xueshi_studytime.models import DailyStudyTotal, LedgerEntry, PlaybackSession, RefusedHeartbeat

from .conftest import POLICY, USAGE, USAGE_2

pytestmark = [pytest.mark.component, pytest.mark.django_db]


def test_takeover_stops_the_older_playback_with_a_message(learner, open_player, clock):
    first = open_player(learner)
    first.beat(0, event="play")
    clock.advance(10)
    # Another tab of the same browser (one session): a second browser would be another device,
    # which xueshi_access signs out before the ledger is even asked (tests/component/access).
    second = open_player(learner, usage=USAGE_2, client=first.http, login=False)
    assert second.grant.replaced_session is True
    clock.advance(20)
    body = first.beat(30).json()
    assert body["lease"] == "lost" and body["stop"] is True and body["reason"] == "lease_lost"
    assert body["credited"] == 0 and body["message"]
    second.beat(0, event="play")
    clock.advance(30)
    assert second.beat(30).json()["credited"] == 30
    # the old session never comes back, even once the new one's lease has expired
    clock.advance(600)
    assert first.beat(40, seq=99).json()["lease"] == "lost"
    flush(claim_idle_ms=0)
    old = PlaybackSession.objects.get(pk=first.grant.session_id)
    assert old.end_reason == "takeover" and old.ended_at is not None
    assert RefusedHeartbeat.objects.filter(reason="lease_lost").count() == 2


def test_refuse_policy_refuses_a_second_playback_while_the_first_is_live(learner, open_player, clock):
    with override_settings(XUESHI_STUDYTIME_LEASE_POLICY="refuse"):
        first = open_player(learner)
        first.beat(0, event="play")
        with pytest.raises(LeaseRefused) as exc:
            open_session(user=learner, usage_key=USAGE_2, policy=POLICY)
        assert exc.value.reason_code == "lease_busy"
        clock.advance(30)
        first.beat(30)
        clock.advance(76)  # > 2.5 intervals of silence: the lease lapsed
        second = open_session(user=learner, usage_key=USAGE_2, policy=POLICY)
        assert second.replaced_session is False


def test_unload_ends_the_session_and_frees_the_lease(learner, open_player, clock):
    with override_settings(XUESHI_STUDYTIME_LEASE_POLICY="refuse"):
        first = open_player(learner)
        first.beat(0, event="play")
        clock.advance(12)
        body = first.beat(12, playing=False, event="unload").json()
        assert body["credited"] == 12
        open_session(user=learner, usage_key=USAGE, policy=POLICY)  # not refused: the reload works at once
        assert first.beat(12, event="play").json()["reason"] == "session_ended"
    flush(claim_idle_ms=0)
    assert PlaybackSession.objects.get(pk=first.grant.session_id).end_reason == "unload"


def test_other_learners_do_not_share_a_lease(learner, other_learner, open_player, clock):
    mine, theirs = open_player(learner), open_player(other_learner)
    for p in (mine, theirs):
        p.beat(0, event="play")
    clock.advance(30)
    assert mine.beat(30).json()["credited"] == 30 and theirs.beat(30).json()["credited"] == 30


@pytest.mark.django_db(transaction=True)  # the threads' connections must see the session row
@pytest.mark.parametrize("same_seq", [True, False])
def test_concurrent_heartbeats_of_one_session_never_double_credit(learner, open_player, clock, same_seq):
    player = open_player(learner)
    player.beat(0, event="play")
    clock.advance(30)
    results, barrier = [], threading.Barrier(8)

    def send(i):
        client = Client()  # each thread its own client, all in the learner's browser session
        for name, morsel in player.http.cookies.items():
            client.cookies[name] = morsel.value
        body = {
            "token": player.token,
            "seq": 2 if same_seq else 2 + i,
            "position": 30,
            "playing": True,
            "visible": True,
            "rate": 1.0,
            "event": "tick",
        }
        barrier.wait()
        results.append(
            client.post("/api/xueshi/studytime/v1/heartbeats", body, content_type="application/json")
        )

    threads = [threading.Thread(target=send, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r.status_code in (200, 409) for r in results), [r.content for r in results]
    credited = [r.json()["credited"] for r in results if r.status_code == 200]
    assert sum(credited) == 30 and credited.count(30) == 1
    flush(claim_idle_ms=0)
    assert sum(LedgerEntry.objects.values_list("credited_ms", flat=True)) == 30_000
    assert DailyStudyTotal.objects.get(user=learner).credited_ms == 30_000


def test_session_row_records_client_and_a_valid_ip_only(learner, open_player):
    good = open_player(learner, client=None, login=False, ip="203.0.113.7", user_agent="Mozilla/5.0 " * 100)
    row = PlaybackSession.objects.get(pk=good.grant.session_id)
    assert row.ip == "203.0.113.7" and len(row.user_agent) == 512 and row.client == "web"
    bad = open_player(learner, login=False, ip="unknown, 10.0.0.1, garbage" * 5)
    assert PlaybackSession.objects.get(pk=bad.grant.session_id).ip is None
