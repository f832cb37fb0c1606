"""The block's handlers through the sandbox's real handler URLs: sessions, events, progress, transcripts."""

import pytest
from completion.models import BlockCompletion
from django.contrib.auth import get_user_model
from opaque_keys.edx.keys import UsageKey

from sandbox.lms.models import StudentModule, TrackingEvent
from xueshi_studytime import api as ledger
from xueshi_studytime.data import Progress
from xueshi_studytime.exceptions import LeaseRefused

from .conftest import LESSON1, handler_url, post_json, set_fields

pytestmark = pytest.mark.django_db


def test_open_session_returns_the_ledger_grant(learner):
    response = post_json(learner, LESSON1, "open_session", {"client": "web"})
    assert response.status_code == 200, response.content
    grant = response.json()
    for key in (
        "token",
        "heartbeat_url",
        "challenge_url",
        "resume_position",
        "frontier",
        "credited_today_seconds",
    ):
        assert key in grant
    assert grant["duration"] == 120
    assert grant["heartbeat_seconds"] == 30
    assert grant["replaced_session"] is False


def test_a_second_session_takes_over_and_says_so(learner):
    post_json(learner, LESSON1, "open_session", {})
    second = post_json(learner, LESSON1, "open_session", {}).json()
    assert second["replaced_session"] is True
    assert second["replaced_message"]


def test_policy_is_built_from_the_blocks_server_side_fields(learner, monkeypatch, settings):
    settings.XBLOCK_SETTINGS = {"xueshi_video": {"heartbeat_seconds": 7}}
    set_fields(LESSON1, allowed_rates=[1.0, 1.25], anti_idle_minutes=2.0, completion_coverage=0.8)
    seen = {}
    real = ledger.open_session

    def spy(**kwargs):
        seen.update(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(ledger, "open_session", spy)
    body = {"client": "h5", "allowed_rates": [16.0], "duration": 1, "anti_idle_seconds": 0}  # ignored
    assert (
        post_json(learner, LESSON1, "open_session", body, HTTP_USER_AGENT="MicroMessenger").status_code == 200
    )
    policy = seen["policy"]
    assert (policy.duration, policy.allowed_rates, policy.anti_idle_seconds) == (120.0, (1.0, 1.25), 120)
    assert (policy.completion_coverage, policy.heartbeat_seconds) == (0.8, 7)
    assert seen["client"] == "h5"
    assert seen["user_agent"] == "MicroMessenger"
    assert str(seen["usage_key"]) == LESSON1


def test_lease_refused_is_a_409_with_a_message(learner, monkeypatch):
    def refuse(**kwargs):
        raise LeaseRefused("busy")

    monkeypatch.setattr(ledger, "open_session", refuse)
    response = post_json(learner, LESSON1, "open_session", {}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert response.json()["error"] == "lease_busy"
    assert "another page or device" in response.json()["message"]


def test_a_video_without_duration_cannot_be_studied(learner):
    set_fields(LESSON1, duration=0.0)
    response = post_json(learner, LESSON1, "open_session", {})
    assert response.status_code == 409
    assert response.json()["error"] == "video_not_ready"


@pytest.mark.parametrize(("body", "status"), [({"client": "desktop"}, 400), ("null", 400)])
def test_open_session_bad_input(learner, body, status):
    assert post_json(learner, LESSON1, "open_session", body).status_code == status


def test_anonymous_visitors_get_no_session(demo_site, client):
    assert post_json(client, LESSON1, "open_session", {}).status_code == 403


def test_track_event_publishes_whitelisted_sanitised_events(learner):
    data = {"old_time": 3, "new_time": 5000, "type": "onSlideSeek", "user_id": 1, "id": "forged"}
    response = post_json(learner, LESSON1, "track_event", {"name": "seek_video", "data": data})
    assert response.status_code == 200
    event = TrackingEvent.objects.filter(event_type="seek_video").latest("id")
    assert event.usage_key == LESSON1
    assert event.data == {
        "id": LESSON1,
        "code": "html5",
        "old_time": 3.0,
        "new_time": 120.0,
        "type": "onSlideSeek",
        "duration": 120.0,
    }


@pytest.mark.parametrize("name", ["problem_check", "grade", "completion", "", None])
def test_track_event_refuses_other_names(learner, name):
    response = post_json(learner, LESSON1, "track_event", {"name": name, "data": {}})
    assert response.status_code == 400
    assert not TrackingEvent.objects.filter(event_type__in=["grade", "completion", "problem_check"]).exists()


def test_sync_progress_ignores_what_the_browser_claims(learner):
    response = post_json(
        learner, LESSON1, "sync_progress", {"completion": 1.0, "completed": True, "coverage": 1}
    )
    assert response.status_code == 200
    assert response.json()["completed"] is False
    user = get_user_model().objects.get(username="zhangsan")
    usage = UsageKey.from_string(LESSON1)
    assert not BlockCompletion.objects.filter(
        user=user, context_key=usage.course_key, block_key=usage
    ).exists()
    assert not StudentModule.objects.filter(student=user, usage_key=usage, grade__gt=0).exists()


def test_sync_progress_publishes_completion_and_grade_from_the_ledger(learner, monkeypatch):
    set_fields(LESSON1, weight=2.0, checkpoints=[])  # with checkpoints, completion also waits for them
    server = Progress(
        watched_seconds=116.0,
        coverage=0.9667,
        frontier=118.0,
        last_position=117.0,
        completed=True,
        intervals=((0.0, 116.0),),
    )
    monkeypatch.setattr(ledger, "get_progress", lambda user_id, usage_key: server)
    body = post_json(learner, LESSON1, "sync_progress", {}).json()
    assert body["completion"] == 1.0 and body["graded"] is True
    assert body["resume_position"] == 117.0 and body["frontier"] == 118.0
    user = get_user_model().objects.get(username="zhangsan")
    usage = UsageKey.from_string(LESSON1)
    assert BlockCompletion.objects.get(user=user, block_key=usage).completion == 1.0
    module = StudentModule.objects.get(student=user, usage_key=usage)
    assert (module.grade, module.max_grade) == (2.0, 2.0)


def test_partial_coverage_publishes_partial_completion_and_no_grade(learner, monkeypatch):
    server = Progress(
        watched_seconds=57.0,
        coverage=0.475,
        frontier=57.0,
        last_position=57.0,
        completed=False,
        intervals=((0.0, 57.0),),
    )
    monkeypatch.setattr(ledger, "get_progress", lambda user_id, usage_key: server)
    body = post_json(learner, LESSON1, "sync_progress", {}).json()
    assert body["completion"] == 0.5 and body["graded"] is False
    user = get_user_model().objects.get(username="zhangsan")
    assert BlockCompletion.objects.get(user=user, block_key=UsageKey.from_string(LESSON1)).completion == 0.5


def test_transcript_download_serves_plain_text(learner):
    response = learner.get(handler_url(LESSON1, "transcript") + "?lang=zh-cn")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    assert "安全生产法概述" in text
    assert "-->" not in text and "WEBVTT" not in text


def test_transcript_unknown_language_and_disabled(learner):
    assert learner.get(handler_url(LESSON1, "transcript") + "?lang=fr").status_code == 404
    set_fields(LESSON1, transcript_download=False)
    assert learner.get(handler_url(LESSON1, "transcript") + "?lang=en").status_code == 403


def test_opening_too_often_is_a_429_with_a_translated_reason(learner, settings):
    settings.XUESHI_STUDYTIME_OPEN_BURST = 2
    settings.XUESHI_STUDYTIME_OPEN_REFILL_SECONDS = 3600
    for _ in range(2):
        assert post_json(learner, LESSON1, "open_session", {}).status_code == 200
    response = post_json(learner, LESSON1, "open_session", {}, HTTP_ACCEPT_LANGUAGE="zh-cn")
    assert response.status_code == 429
    assert response.json()["error"] == "too_many_sessions"
    assert response.json()["retry_after"] == 3600 and response["Retry-After"] == "3600"
    assert "请等待 3600 秒后再试" in response.json()["message"]
