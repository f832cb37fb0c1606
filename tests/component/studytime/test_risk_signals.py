"""Risk signals per playback session, recorded by the ledger and shown to staff (issue 15)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from xueshi_studytime.models import PlaybackSession
from xueshi_studytime.risk import beats_too_regular

from .conftest import play

pytestmark = [pytest.mark.component, pytest.mark.django_db]

SESSIONS = "/admin/xueshi_studytime/playbacksession/"


@pytest.fixture
def staff_client(client):
    client.force_login(get_user_model().objects.create_superuser("auditor-x", "a@example.com", "pw"))
    return client


def test_a_headless_or_library_user_agent_marks_the_session(learner, open_player):
    open_player(learner, user_agent="python-requests/2.32.3")
    open_player(learner, user_agent="Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/131.0.0.0 Safari/537.36")
    open_player(
        learner, user_agent="Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0.0.0 Safari/537.36"
    )
    flags = sorted(str(s.risk_signals) for s in PlaybackSession.objects.all())
    assert flags == ["{'headless_agent': 1}", "{'headless_agent': 1}", "{}"]


def test_replayed_beats_are_counted_on_the_session(learner, open_player, clock, flushed):
    player = open_player(learner)
    play(player, clock, 0, 60)
    for seq in (2, 3):
        assert player.beat(30, seq=seq).json()["reason"] == "replay"
    flushed()
    assert PlaybackSession.objects.get().risk_signals == {"replayed_beats": 2}


def test_beat_timing_regularity():
    assert beats_too_regular([100 + 30 * i for i in range(8)])
    assert not beats_too_regular([100 + 30 * i + (0.04 if i % 2 else 0) for i in range(8)])
    assert not beats_too_regular([100 + 30 * i for i in range(4)])


def test_staff_see_and_filter_risky_sessions(learner, open_player, clock, flushed, staff_client):
    risky = open_player(learner, user_agent="curl/8.5.0")
    play(risky, clock, 0, 180)  # beats on a fixed 30 s clock: too regular for a browser
    open_player(learner, user_agent="Mozilla/5.0 Chrome/131.0")
    flushed()
    page = staff_client.get(SESSIONS).content.decode()
    assert "headless_agent×1" in page
    only = staff_client.get(SESSIONS, {"risk": "headless_agent"}).content.decode()
    assert only.count("headless_agent×1") == 1 and "0 of 2" not in only
    assert "1 playback session" in only or "1 result" in only
    none = staff_client.get(SESSIONS, {"risk": "none"}).content.decode()
    assert "headless_agent×1" not in none
    session = PlaybackSession.objects.get(user_agent="curl/8.5.0")
    detail = staff_client.get(f"{SESSIONS}{session.pk}/change/").content.decode()
    assert "regular_beats×1" in detail and "headless_agent×1" in detail
