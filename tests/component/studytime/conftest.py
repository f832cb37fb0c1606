"""Fixtures of the study-time ledger's component tests: a server clock the test drives (selected
through settings, as production selects ``time.time``), an isolated Redis key prefix, learners,
and a small player that speaks the real HTTP API."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from xueshi_studytime.api import open_session
from xueshi_studytime.data import VideoPolicy
from xueshi_studytime.flusher import flush

from ..ledgerkit import ManualClock, isolated_ledger

USAGE = "block-v1:Xueshi+ST101+2026+type@xueshi_video+block@intro"
USAGE_2 = "block-v1:Xueshi+ST101+2026+type@xueshi_video+block@second"
COURSE = "course-v1:Xueshi+ST101+2026"
HEARTBEATS = "/api/xueshi/studytime/v1/heartbeats"
ANSWER = "/api/xueshi/studytime/v1/challenges/answer"
SUMMARY = "/api/xueshi/studytime/v1/me/summary"


@pytest.fixture
def clock():
    return ManualClock()


@pytest.fixture(autouse=True)
def studytime_env(clock):
    """Own Redis keyspace per test, the manual clock."""
    with isolated_ledger(
        "test",
        clock,
        XUESHI_STUDYTIME_LEASE_POLICY="takeover",
        XUESHI_STUDYTIME_TOKEN_KEYS=["component-test-key-1"],
        LANGUAGE_CODE="en",
    ) as prefix:
        yield prefix


@pytest.fixture
def learner(db):
    return get_user_model().objects.create_user("learner", "learner@example.com", "pw")


@pytest.fixture
def other_learner(db):
    return get_user_model().objects.create_user("other", "other@example.com", "pw")


POLICY = VideoPolicy(duration=600.0, anti_idle_seconds=0)


@dataclass
class Player:
    """A player tab: opens a session through the API and beats over real HTTP."""

    http: Client
    token: str
    seq: int = 0
    grant: object = None
    headers: dict = field(default_factory=dict)

    def beat(self, position, *, playing=True, visible=True, rate=1.0, event="tick", seq=None, **extra):
        if seq is None:
            self.seq += 1
            seq = self.seq
        body = {
            "token": self.token,
            "seq": seq,
            "position": position,
            "playing": playing,
            "visible": visible,
            "rate": rate,
            "event": event,
            **extra,
        }
        return self.http.post(HEARTBEATS, json.dumps(body), content_type="application/json", **self.headers)


@pytest.fixture
def open_player(clock):
    def _open(user, usage=USAGE, policy=POLICY, client=None, login=True, **kw):
        http = client or Client()
        if login:
            http.force_login(user)
        grant = open_session(user=user, usage_key=usage, policy=policy, **kw)
        return Player(http, grant.token, grant=grant)

    return _open


def play(player, clock, start, seconds, step=30):
    """Play honestly from ``start`` for ``seconds`` in ``step`` beats; return the responses."""
    responses = [player.beat(start, event="play")]
    pos = start
    while pos < start + seconds:
        clock.advance(step)
        pos += step
        responses.append(player.beat(pos))
    return responses


@pytest.fixture
def flushed():
    """Flush the ledger to MariaDB and return how many events were written."""
    return lambda: flush(claim_idle_ms=0)
