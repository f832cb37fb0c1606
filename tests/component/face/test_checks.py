"""Face checks against the ledger: random checks scheduled when playback opens, a failed or missing
check keeps the hold (no credit), a pass releases it and schedules the next; every check recorded."""

import hashlib

import pytest
from django.core.signing import dumps
from django.test import override_settings

from xueshi_face import tokens
from xueshi_face.data import CheckContext
from xueshi_face.models import CourseFaceSettings, FaceCheck
from xueshi_studytime import api as ledger

from .conftest import COURSE, USAGE, answer_check, consent_to_face, post_check

pytestmark = [pytest.mark.component, pytest.mark.django_db]


@pytest.fixture
def course_rate(db):
    return CourseFaceSettings.objects.create(course_key=COURSE, mean_minutes_between_checks=10)


def study_token(user):
    return tokens.make(user.id, CheckContext("study", COURSE, USAGE))


def test_opening_playback_schedules_one_random_check_at_the_course_rate(
    learner, open_player, clock, course_rate
):
    player = open_player(learner)
    (hold,) = ledger.active_holds(learner.id)
    assert hold.kind == "face_check" and hold.url.startswith("/xueshi/face/check/?t=")
    assert clock.now + 60 <= hold.not_before <= clock.now + 1800  # min gap .. 3 x mean
    assert tokens.read(hold.url.split("t=", 1)[1], learner.id) == CheckContext("study", COURSE, USAGE)
    assert player.grant.holds == ()  # not yet in force: the player is not told when it comes
    open_player(learner)  # reopening the video never postpones a scheduled check
    assert [h.not_before for h in ledger.active_holds(learner.id)] == [hold.not_before]


def test_no_check_is_scheduled_where_the_rate_is_zero(learner, open_player):
    open_player(learner)
    assert ledger.active_holds(learner.id) == []
    with override_settings(XUESHI_FACE_STUDY_CHECK_MINUTES=20):  # the operator's default for all courses
        open_player(learner)
    assert [h.kind for h in ledger.active_holds(learner.id)] == ["face_check"]


def test_a_failed_check_keeps_the_hold_and_the_ledger_credits_nothing(
    http, learner, enrolled, open_player, clock, course_rate
):
    player = open_player(learner)
    player.beat(0, "play")
    (hold,) = ledger.active_holds(learner.id)
    clock.now = hold.not_before + 1
    body = player.beat(30)
    assert body["reason"] == "hold" and body["credited"] == 0
    assert body["holds"][0]["kind"] == "face_check"
    response = post_check(http, ["person_b", "person_b"], study_token(learner))  # someone else studies
    assert response.status_code == 200
    result = response.json()
    assert result["passed"] is False and result["decision"] == "failed" and result["reason"] == "mismatch"
    assert result["hold_released"] is False and result["message"]
    clock.advance(30)
    assert player.beat(60)["reason"] == "hold"  # still nothing credited
    assert [h.kind for h in ledger.active_holds(learner.id)] == ["face_check"]
    record = FaceCheck.objects.get()
    assert (record.context, str(record.course_key), str(record.usage_key)) == ("study", COURSE, USAGE)
    assert record.engine == "local" and record.threshold == 40.0 and record.score < 40.0
    assert (
        record.image_digest
        == hashlib.sha256(
            __import__("tests.unit.face.faces", fromlist=["photo"]).photo("person_b")
        ).hexdigest()
    )
    assert record.enrolment_digest == enrolled.image_digest and record.image.token.startswith("xs1.")


def test_a_passed_check_releases_the_hold_credit_resumes_and_the_next_check_is_drawn(
    http, learner, enrolled, open_player, clock, course_rate
):
    player = open_player(learner)
    player.beat(0, "play")
    (hold,) = ledger.active_holds(learner.id)
    clock.advance(30)
    assert player.beat(30)["credited"] == 30  # before the check is due, study is credited
    clock.now = hold.not_before + 1
    assert player.beat(30)["reason"] == "hold"  # the player pauses and shows the check page
    result = answer_check(http, study_token(learner)).json()
    assert result["passed"] is True and result["liveness"] == "passed" and result["hold_released"] is True
    assert result["score"] >= result["threshold"] == 40.0
    (following,) = ledger.active_holds(learner.id)  # the next random check, drawn after the pass
    assert following.not_before >= clock.now + 60
    player.beat(30, "play")  # the learner resumes after the overlay closes
    clock.advance(30)
    body = player.beat(60)
    assert body["reason"] is None and body["credited"] == 30
    assert FaceCheck.objects.get().hold_released is True


def test_liveness_one_still_frame_does_not_pass_unless_liveness_is_off(http, learner, enrolled):
    token = study_token(learner)
    ledger.place_hold(learner.id, "face_check", url="/x")
    one = post_check(http, ["person_a_probe"], token).json()
    assert one["passed"] is False and one["reason"] == "liveness" and one["liveness"] == "failed"
    still = post_check(http, ["person_a_probe", "person_a_probe", "person_a_probe"], token).json()
    assert still["passed"] is False and still["reason"] == "liveness"
    assert [h.kind for h in ledger.active_holds(learner.id)] == ["face_check"]
    with override_settings(XUESHI_FACE_LIVENESS="off"):
        off = post_check(http, ["person_a_probe"], token).json()
    assert off["passed"] is True and off["liveness"] == "skipped"
    assert FaceCheck.objects.filter(user=learner).count() == 3


def test_a_learner_without_a_photo_is_sent_to_enrol(http, learner):
    consent_to_face(learner)
    response = post_check(http, ["person_a_probe", "person_a_turned"], study_token(learner))
    assert response.status_code == 409 and response.json()["error"] == "not_enrolled"
    assert response.json()["enrol_url"] == "/xueshi/face/enrol/"
    page = http.get("/xueshi/face/check/")
    assert page.status_code == 200 and b"/xueshi/face/enrol/" in page.content


def test_tampered_expired_or_foreign_tokens_get_400(http, learner, other_learner, enrolled):
    good = study_token(learner)
    tampered = good[:-3] + ("aaa" if not good.endswith("aaa") else "bbb")
    foreign = tokens.make(other_learner.id, CheckContext("study", COURSE, USAGE))
    forged = dumps({"u": learner.id, "k": "study"}, salt="another-salt")
    for token in (tampered, foreign, forged, "not-a-token"):
        response = post_check(http, ["person_a_probe", "person_a_turned"], token)
        assert response.status_code == 400 and response.json()["error"] == "bad_token", token
        assert http.get("/xueshi/face/check/", {"t": token}).status_code == 400
    with override_settings(XUESHI_FACE_TOKEN_MAX_AGE_SECONDS=-1):
        assert post_check(http, ["person_a_probe"], good).json()["error"] == "bad_token"
    assert FaceCheck.objects.count() == 0


def test_bad_frames_get_4xx_and_are_not_recorded(http, learner, enrolled):
    from tests.unit.face.faces import blank

    token = study_token(learner)
    assert post_check(http, [], token).status_code == 400
    assert post_check(http, ["person_a_probe"] * 4, token).json()["error"] == "too_many_frames"
    assert post_check(http, [b"GIF89a not really"], token).status_code == 400
    with override_settings(XUESHI_FACE_MAX_IMAGE_BYTES=10_000):
        assert post_check(http, ["person_a_probe"], token).status_code == 413
    no_face = post_check(
        http, [blank(), blank()], token
    ).json()  # a real image without a face is a failed check
    assert no_face["passed"] is False and no_face["reason"] == "no_face"
    assert FaceCheck.objects.count() == 1


def test_many_checks_in_an_hour_are_refused_with_429(http, learner, enrolled):
    token = study_token(learner)
    with override_settings(XUESHI_FACE_MAX_CHECKS_PER_HOUR=2):
        assert post_check(http, ["person_b"], token).status_code == 200
        assert post_check(http, ["person_c"], token).status_code == 200
        refused = post_check(http, ["person_a_probe", "person_a_turned"], token)
    assert refused.status_code == 429 and refused.json()["error"] == "too_many_checks"
    assert FaceCheck.objects.count() == 2
