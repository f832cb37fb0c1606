"""Fixtures of the face-check component tests: learners, a server clock the tests drive (the ledger's
own setting), an isolated Redis key prefix, the local engine, and players speaking the ledger's API."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.unit.face.faces import photo
from xueshi_studytime.api import open_session
from xueshi_studytime.data import VideoPolicy

from ..ledgerkit import ManualClock, isolated_ledger

COURSE = "course-v1:Xueshi+FACE101+2026"
USAGE = "block-v1:Xueshi+FACE101+2026+type@xueshi_video+block@lesson1"
HEARTBEATS = "/api/xueshi/studytime/v1/heartbeats"
CHECKS = "/xueshi/face/api/v1/checks"
ENROLMENT = "/xueshi/face/api/v1/enrolment"


@pytest.fixture
def clock():
    return ManualClock()


@pytest.fixture(autouse=True)
def face_env(clock):
    with isolated_ledger(
        "face",
        clock,
        XUESHI_STUDYTIME_TOKEN_KEYS=["face-component-test-key"],
        XUESHI_FACE_ENGINE="local",
        XUESHI_FACE_LIVENESS="head_turn",
        XUESHI_FACE_STUDY_CHECK_MINUTES=0,
        LANGUAGE_CODE="en",
    ) as prefix:
        yield prefix


@pytest.fixture
def learner(db):
    return get_user_model().objects.create_user("face-learner", "fl@example.com", "pw")


@pytest.fixture
def other_learner(db):
    return get_user_model().objects.create_user("face-other", "fo@example.com", "pw")


@pytest.fixture
def http(learner):
    client = Client()
    client.force_login(learner)
    return client


@pytest.fixture
def enrolled(learner):
    from xueshi_face import enrolment

    return enrolment.enrol(learner, photo("person_a_enrol"))


def post_check(client, names, token=""):
    """Post frames (shipped photo names or raw bytes) to the check API."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    frames = [
        SimpleUploadedFile(f"f{i}.jpg", photo(n) if isinstance(n, str) else n, "image/jpeg")
        for i, n in enumerate(names)
    ]
    return client.post(CHECKS, {"frame": frames, "t": token})


class Player:
    """A player tab beating over the ledger's real HTTP API."""

    def __init__(self, client, grant):
        self.http, self.grant, self.seq = client, grant, 0

    def beat(self, position, event="tick"):
        self.seq += 1
        body = {
            "token": self.grant.token,
            "seq": self.seq,
            "position": position,
            "playing": True,
            "visible": True,
            "rate": 1.0,
            "event": event,
        }
        return self.http.post(HEARTBEATS, json.dumps(body), content_type="application/json").json()


@pytest.fixture
def open_player(http):
    def _open(user, usage=USAGE):
        grant = open_session(
            user=user, usage_key=usage, policy=VideoPolicy(duration=1200.0, anti_idle_seconds=0)
        )
        return Player(http, grant)

    return _open
