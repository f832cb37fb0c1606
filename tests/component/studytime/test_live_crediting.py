"""A live lesson through the real heartbeat endpoint: credit by the server clock, only while on air.

The page's positions are ignored (``livecredit.py``); what earns is server time inside the on-air
intervals the live app reports (``api.set_on_air``), once per learner (ADR 0351).
"""

from __future__ import annotations

import pytest

from xueshi_studytime.api import get_progress, set_on_air
from xueshi_studytime.data import VideoPolicy

from .conftest import USAGE

pytestmark = [pytest.mark.component, pytest.mark.django_db]


def live_policy(origin, length=3600.0):
    return VideoPolicy(duration=length, anti_idle_seconds=0, heartbeat_seconds=30, live_origin=origin)


def test_credit_is_bounded_by_on_air_time_and_refused_off_air(learner, open_player, clock):
    origin = clock.now
    set_on_air(USAGE, [(origin + 60, origin + 120)])  # on air from minute 1 to minute 2 only
    player = open_player(learner, policy=live_policy(origin))
    assert player.beat(0, event="play").json()["accepted"]
    clock.advance(30)
    off = player.beat(999).json()  # a forged far position changes nothing: positions are the server's
    assert off["reason"] == "off_air" and off["credited"] == 0 and off["position"] == 30
    credited = []
    for _ in range(4):  # beats at 60, 90, 120, 150 s: the 60 s from 60 to 120 are on air
        clock.advance(30)
        credited.append(player.beat(0).json()["credited"])
    assert credited == [0, 30, 30, 0]
    progress = get_progress(learner.id, USAGE)
    assert progress.watched_seconds == 60 and progress.intervals == ((60.0, 120.0),)


def test_attendance_is_counted_once_and_paused_time_earns_nothing(learner, open_player, clock):
    origin = clock.now
    set_on_air(USAGE, [(origin, None)])  # on air, still running
    first = open_player(learner, policy=live_policy(origin))
    first.beat(0, event="play")
    clock.advance(30)
    assert first.beat(0).json()["credited"] == 30
    assert first.beat(0, playing=False, event="pause").json()["credited"] == 0
    clock.advance(30)
    assert first.beat(0, playing=False).json()["credited"] == 0  # paused: not attending
    # A second tab (takes the lease) earns only new live time, never the minute already credited.
    second = open_player(learner, policy=live_policy(origin))
    assert second.grant.resume_position == 60
    second.beat(0, event="play")
    clock.advance(30)
    assert second.beat(0).json()["credited"] == 30
    assert not first.beat(0).json().get("credited")  # the replaced tab earns nothing more
    assert get_progress(learner.id, USAGE).watched_seconds == 60


def test_bad_on_air_intervals_are_refused():
    with pytest.raises(ValueError):
        set_on_air(USAGE, [(100.0, 50.0)])
    with pytest.raises(ValueError):
        set_on_air(USAGE, [(float("nan"), None)])
