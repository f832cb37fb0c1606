"""The "still there?" challenge needs a person: the code is only in an image, with a time limit and
few attempts; answering with the id alone, late or by guessing keeps crediting stopped (issue 15)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from xueshi_studytime.challenges import code_for
from xueshi_studytime.data import VideoPolicy
from xueshi_studytime.models import IdleChallenge, PlaybackSession

from .conftest import ANSWER, play

pytestmark = [pytest.mark.component, pytest.mark.django_db]

IDLE = VideoPolicy(duration=600.0, anti_idle_seconds=60)


def answer(player, challenge_id, code=None):
    body = {"token": player.token, "challenge_id": challenge_id}
    if code is not None:
        body["code"] = code
    return player.http.post(ANSWER, body, content_type="application/json")


def wrong(code):
    return f"{(int(code) + 1) % 10000:04d}"


@pytest.fixture
def challenged(learner, open_player, clock):
    """A player whose session has just been challenged, and the challenge as the reply carried it."""
    player = open_player(learner, policy=IDLE)
    challenge = play(player, clock, 0, 60)[-1].json()["challenge"]
    assert challenge is not None
    return player, challenge


def resumes_credit(player, clock, at=60):
    player.beat(at, event="play")
    clock.advance(30)
    return player.beat(at + 30).json()["credited"] > 0


def test_the_reply_carries_an_image_not_the_code(challenged, clock):
    player, challenge = challenged
    assert set(challenge) == {"id", "prompt", "image_url", "expires_at", "digits"}
    assert challenge["expires_at"] == pytest.approx(clock.now + 120, abs=31)
    image = player.http.get(challenge["image_url"])
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert image["Cache-Control"] == "no-store"
    assert Image.open(io.BytesIO(image.content)).size == (168, 64)
    assert code_for(challenge["id"]).encode() not in image.content


def test_answering_with_the_id_alone_earns_nothing(challenged, clock, flushed):
    player, challenge = challenged
    response = answer(player, challenge["id"])
    assert response.status_code == 400 and response.json()["error"] == "code_required"
    assert not resumes_credit(player, clock)
    flushed()
    assert PlaybackSession.objects.get().risk_signals == {"challenge_no_code": 1}


def test_the_right_code_in_time_resumes_credit(challenged, clock):
    player, challenge = challenged
    clock.advance(100)
    assert answer(player, challenge["id"], code_for(challenge["id"])).json() == {"answered": True}
    assert resumes_credit(player, clock)


def test_a_late_answer_is_refused_and_replaced_by_a_new_code(challenged, clock, flushed):
    player, challenge = challenged
    clock.advance(121)
    late = answer(player, challenge["id"], code_for(challenge["id"]))
    assert late.status_code == 400 and late.json()["error"] == "challenge_late"
    fresh = late.json()["challenge"]
    assert fresh["id"] != challenge["id"]
    assert not resumes_credit(player, clock)
    assert player.beat(60, event="play").json()["challenge"]["id"] == fresh["id"]
    assert answer(player, fresh["id"], code_for(fresh["id"])).status_code == 200
    assert resumes_credit(player, clock)
    flushed()
    statuses = dict(IdleChallenge.objects.values_list("challenge_id", "status"))
    assert statuses == {challenge["id"]: IdleChallenge.LATE, fresh["id"]: IdleChallenge.ANSWERED}
    assert PlaybackSession.objects.get().risk_signals == {"challenge_late": 1}


def test_wrong_codes_are_limited_then_the_code_changes(challenged, clock, flushed):
    player, challenge = challenged
    code = code_for(challenge["id"])
    first = answer(player, challenge["id"], wrong(code))
    assert first.status_code == 400 and first.json()["error"] == "challenge_wrong"
    assert answer(player, challenge["id"], wrong(code)).json()["error"] == "challenge_wrong"
    third = answer(player, challenge["id"], wrong(code))
    assert third.json()["error"] == "challenge_failed"
    # The old code no longer opens anything, even the right one.
    assert answer(player, challenge["id"], code).json()["error"] == "challenge_unknown"
    assert not resumes_credit(player, clock)
    fresh = third.json()["challenge"]
    assert answer(player, fresh["id"], code_for(fresh["id"])).status_code == 200
    flushed()
    assert IdleChallenge.objects.get(challenge_id=challenge["id"]).status == IdleChallenge.FAILED
    assert PlaybackSession.objects.get().risk_signals == {"challenge_failed": 1}


def test_a_guessing_script_runs_out_of_replacements(challenged, clock, settings):
    settings.XUESHI_STUDYTIME_CHALLENGE_ROTATIONS = 2
    player, challenge = challenged
    current, errors = challenge, []
    for _ in range(12):
        if current is None:
            break
        reply = answer(player, current["id"], wrong(code_for(current["id"]))).json()
        errors.append(reply["error"])
        current = reply.get("challenge") if reply["error"] != "challenge_wrong" else current
    assert errors.count("challenge_failed") == 2 and errors[-1] == "challenge_exhausted"
    assert not resumes_credit(player, clock)


def test_images_of_malformed_ids_are_404_and_old_ones_still_draw(challenged, client, clock):
    _player, challenge = challenged
    assert client.get("/api/xueshi/studytime/v1/challenges/not-an-id/image").status_code == 404
    assert client.get("/api/xueshi/studytime/v1/challenges/" + "g" * 23 + "/image").status_code == 404
    clock.advance(3600)  # back from a break: the picture still shows; answering it brings a new code
    assert client.get(challenge["image_url"]).status_code == 200
