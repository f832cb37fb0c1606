"""Liveness answers a server-chosen random pose sequence: one frame per pose, in order, bound to a
single-use nonce with a time limit, so frames recorded for another check cannot be replayed."""

import pytest
from django.test import override_settings

from tests.unit.face.faces import pose_frame
from xueshi_face import tokens
from xueshi_face.data import CheckContext
from xueshi_face.models import FaceCheck, LivenessChallenge
from xueshi_studytime import api as ledger

from .conftest import CHALLENGES, COURSE, USAGE, answer_check, post_check, start_challenge

pytestmark = [pytest.mark.component, pytest.mark.django_db]


def frames(poses):
    return [pose_frame(pose) for pose in poses]


def test_the_challenge_is_random_and_turns_both_ways(http, learner, enrolled):
    seen = set()
    for _ in range(12):
        body = http.post(CHALLENGES).json()
        assert body["expires_in"] == 30 and len(body["instructions"]) == len(body["poses"]) == 3
        assert {"left", "right"} <= set(body["poses"]) and len(body["nonce"]) >= 32
        seen.add(tuple(body["poses"]))
    assert len(seen) > 1
    assert http.get(CHALLENGES).status_code == 405


def test_following_the_poses_passes_once_and_the_nonce_cannot_be_reused(
    http, learner, other_learner, enrolled
):
    ledger.place_hold(learner.id, "face_check", url="/x")
    token = tokens.make(learner.id, CheckContext("study", COURSE, USAGE))
    nonce, poses = start_challenge(http)
    passed = post_check(http, frames(poses), token, nonce=nonce).json()
    assert passed["passed"] is True and passed["liveness"] == "passed" and passed["hold_released"] is True
    reused = post_check(http, frames(poses), nonce=nonce)
    assert reused.status_code == 409 and reused.json()["error"] == "challenge_used"
    missing = post_check(http, frames(poses), nonce="")
    assert missing.status_code == 400 and missing.json()["error"] == "challenge_required"
    row = LivenessChallenge.objects.create(
        user=other_learner, nonce="another-learners-nonce", actions="left,centre,right",
        issued_at="2026-12-01T00:00:00Z", expires_at="2099-01-01T00:00:00Z",
    )  # fmt: skip
    foreign = post_check(http, frames(row.actions.split(",")), nonce=row.nonce)
    assert foreign.status_code == 400 and foreign.json()["error"] == "challenge_unknown"
    assert FaceCheck.objects.count() == 1


def test_frames_replayed_for_another_sequence_fail(http, learner, enrolled):
    first, recorded = start_challenge(http)
    assert post_check(http, frames(recorded), nonce=first).json()["passed"] is True
    nonce, poses = start_challenge(http)
    while poses == recorded:  # 8 sequences are possible: draw until this one differs
        nonce, poses = start_challenge(http)
    replay = post_check(http, frames(recorded), nonce=nonce).json()
    assert replay["passed"] is False and replay["reason"] == "liveness" and replay["liveness"] == "failed"
    assert FaceCheck.objects.order_by("-id").first().reason == "liveness"


def test_late_or_impossibly_fast_answers_are_refused(http, learner, enrolled, clock):
    nonce, poses = start_challenge(http)
    clock.advance(31)
    late = post_check(http, frames(poses), nonce=nonce)
    assert late.status_code == 410 and late.json()["error"] == "challenge_expired"
    with override_settings(XUESHI_FACE_MIN_SECONDS_PER_POSE=0.5):
        nonce, poses = start_challenge(http)
        clock.advance(1)
        fast = post_check(http, frames(poses), nonce=nonce)
        assert fast.status_code == 409 and fast.json()["error"] == "challenge_too_fast"
        nonce, poses = start_challenge(http)
        clock.advance(2)
        assert post_check(http, frames(poses), nonce=nonce).json()["passed"] is True
    assert FaceCheck.objects.count() == 1


def test_with_liveness_off_no_challenge_is_needed(http, learner, enrolled):
    with override_settings(XUESHI_FACE_LIVENESS="off"):
        body = http.post(CHALLENGES).json()
        assert body["poses"] == [] and body["nonce"] == ""
        assert answer_check(http).json()["passed"] is True


def test_challenges_are_throttled_like_checks(http, learner, enrolled):
    with override_settings(XUESHI_FACE_MAX_CHECKS_PER_HOUR=2):
        assert [http.post(CHALLENGES).status_code for _ in range(5)] == [201, 201, 201, 201, 429]
    assert LivenessChallenge.objects.filter(user=learner).count() == 4
