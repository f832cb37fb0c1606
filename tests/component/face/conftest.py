"""Fixtures of the face-check component tests: learners, a server clock the tests drive (the ledger's
own setting), an isolated Redis key prefix, the local engine, and players speaking the ledger's API."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.unit.face.faces import photo, pose_frame
from xueshi_studytime.api import open_session
from xueshi_studytime.data import VideoPolicy

from ..ledgerkit import ManualClock, isolated_ledger

COURSE = "course-v1:Xueshi+FACE101+2026"
USAGE = "block-v1:Xueshi+FACE101+2026+type@xueshi_video+block@lesson1"
HEARTBEATS = "/api/xueshi/studytime/v1/heartbeats"
CHECKS = "/xueshi/face/api/v1/checks"
CHALLENGES = "/xueshi/face/api/v1/challenges"
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
        XUESHI_FACE_MIN_SECONDS_PER_POSE=0,  # the manual clock stands still; one test sets it
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


def reviewer_user(username="face-reviewer"):
    """A nationwide operator: the role whose ``manage_face`` action reviews photos (ADR 0010)."""
    from django.contrib.auth.models import Group

    from xueshi_core.roles import OPERATOR

    user, _ = get_user_model().objects.get_or_create(username=username)
    user.groups.add(Group.objects.get_or_create(name=OPERATOR)[0])
    return get_user_model().objects.get(pk=user.pk)  # fresh: roles and scope are cached per instance


def consent_to_face(user):
    """Record the learner's separate consent to face processing (what the enrolment page's box does)."""
    from xueshi_core import consent

    return consent.record_consent(user, consent.FACE, consent.current_version(consent.FACE))


def enrol_approved(user, name="person_a_enrol"):
    """Register ``user``'s photo (after consenting) and have a reviewer approve it."""
    from xueshi_face import approval, enrolment

    consent_to_face(user)
    enrolment.enrol(user, photo(name))
    return approval.approve(user.id, actor=reviewer_user(), reason="matches the ID card")


@pytest.fixture
def enrolled(learner):
    return enrol_approved(learner)


def start_challenge(client):
    """Ask for a liveness challenge: its nonce and poses."""
    body = client.post(CHALLENGES).json()
    return body["nonce"], tuple(body["poses"])


def post_check(client, names, token="", nonce=None):
    """Post frames (shipped photo names or raw bytes) to the check API.

    A challenge is started first unless ``nonce`` is given; these frames ignore its poses (use
    :func:`answer_check` to follow them).
    """
    from django.core.files.uploadedfile import SimpleUploadedFile

    if nonce is None:
        nonce, _ = start_challenge(client)
    frames = [
        SimpleUploadedFile(f"f{i}.jpg", photo(n) if isinstance(n, str) else n, "image/jpeg")
        for i, n in enumerate(names)
    ]
    return client.post(CHECKS, {"frame": frames, "t": token, "nonce": nonce})


def answer_check(client, token=""):
    """Start a challenge and answer it as person A, one frame per requested pose (one frontal
    frame when liveness is off)."""
    nonce, poses = start_challenge(client)
    return post_check(client, [pose_frame(pose) for pose in poses or ("centre",)], token, nonce)


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
