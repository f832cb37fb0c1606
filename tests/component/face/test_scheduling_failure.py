"""When a random check cannot be drawn, study is held at once (never waved through): at playback
opening, and after a passed check when the next one is drawn."""

import pytest
from django.test import override_settings

from xueshi_face import tokens
from xueshi_face.data import CheckContext
from xueshi_face.models import CourseFaceSettings
from xueshi_studytime import api as ledger
from xueshi_studytime.models import StudyHold

from .conftest import COURSE, USAGE, post_check

pytestmark = [pytest.mark.component, pytest.mark.django_db]


def test_a_scheduling_failure_at_playback_opening_holds_study(learner, open_player, clock):
    with override_settings(XUESHI_FACE_STUDY_CHECK_MINUTES="every ten minutes"):  # an operator's typo
        player = open_player(learner)
    (hold,) = ledger.active_holds(learner.id)
    assert hold.kind == "face_check" and hold.not_before <= clock.now
    assert "could not be scheduled (ValueError)" in hold.reason
    assert tokens.read(hold.url.split("t=", 1)[1], learner.id) == CheckContext("study", COURSE, USAGE)
    assert [h["kind"] for h in player.grant.holds] == ["face_check"]  # the player is told at once
    player.beat(0, "play")
    clock.advance(30)
    body = player.beat(30)
    assert body["reason"] == "hold" and body["credited"] == 0
    assert StudyHold.objects.filter(user_id=learner.id, kind="face_check").exists()


def test_a_scheduling_failure_after_a_passed_check_holds_study_again(http, learner, enrolled, clock):
    CourseFaceSettings.objects.create(course_key=COURSE, mean_minutes_between_checks=10)
    ledger.place_hold(learner.id, "face_check", url="/x")
    token = tokens.make(learner.id, CheckContext("study", COURSE, USAGE))
    with override_settings(XUESHI_FACE_LIVENESS="off", XUESHI_FACE_MIN_CHECK_GAP_SECONDS="soon"):
        response = post_check(http, ["person_a_probe"], token)
    assert response.status_code == 200 and response.json()["passed"] is True
    (hold,) = ledger.active_holds(learner.id)  # released, then held again: the next check is owed now
    assert hold.not_before <= clock.now and "could not be scheduled" in hold.reason
