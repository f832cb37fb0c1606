"""The live block's handlers through the sandbox's handler URLs: refusals are clear 4xx, a live session
is opened only while on air and carries a signed play URL and a live ledger policy; apps open it at
the REST endpoint that runs the block's own handler, and the H5 page boots the live page."""

from __future__ import annotations

import json
import re
import time

import pytest
from django.test import override_settings

from sandbox.lms.models import ContentBlock, CourseRun
from tests.component.video.conftest import author, learner, post_json  # noqa: F401  (fixtures)
from tests.component.video.test_app_sessions import bearer, beat, open_app
from xueshi_live.schedule import china_text
from xueshi_livestream import events
from xueshi_livestream.models import LiveStream
from xueshi_livestream.providers import START, StreamEvent
from xueshi_studytime.models import PlaybackSession

pytestmark = [pytest.mark.component, pytest.mark.django_db]
USAGE = "block-v1:XueshiDemo+AQ101+2026+type@xueshi_live+block@live1"
LIVE = {
    "XUESHI_LIVE_PROVIDER": "aliyun",
    "XUESHI_LIVE_AUTH_KEY": "component-live-key",
    "XUESHI_LIVE_PUSH_DOMAIN": "push.example.cn",
    "XUESHI_LIVE_PLAY_DOMAIN": "play.example.cn",
}


@pytest.fixture
def lesson(demo_site):
    now = time.time()
    fields = {"stream_name": "live1", "starts_at": china_text(now - 60), "ends_at": china_text(now + 600)}
    course = CourseRun.objects.get(course_key="course-v1:XueshiDemo+AQ101+2026")
    ContentBlock.objects.create(usage_key=USAGE, course=course, block_type="xueshi_live", fields=fields)
    return USAGE


@override_settings(**LIVE)
def test_a_live_session_opens_only_on_air_with_a_signed_play_url(learner, lesson):  # noqa: F811
    assert (
        post_json(learner, lesson, "live_status", {}).json()["phase"] == "paused"
    )  # registered on first use
    refused = post_json(learner, lesson, "open_live", {"client": "web"})
    assert refused.status_code == 409 and refused.json()["error"] == "not_on_air"
    assert post_json(learner, lesson, "open_live", {"client": "tv"}).status_code == 400
    assert post_json(learner, lesson, "open_live", "[1, 2").status_code == 400
    assert (
        learner.get(f"/courses/course-v1:XueshiDemo+AQ101+2026/xblock/{lesson}/handler/open_live").status_code
        == 405
    )
    events.apply(StreamEvent(START, "live1", time.time() - 5))
    with override_settings(XUESHI_LIVE_PROVIDER=""):  # the operator switched live lessons off
        assert post_json(learner, lesson, "open_live", {"client": "web"}).status_code == 503
    grant = post_json(learner, lesson, "open_live", {"client": "web"}).json()
    (source,) = grant["sources"]
    assert source["url"].startswith("https://play.example.cn/live/live1.m3u8?auth_key=")
    assert grant["status"]["phase"] == "on_air" and grant["resume_position"] >= 5  # the live timeline's now
    progress = post_json(learner, lesson, "live_progress", {}).json()
    assert progress["attended_seconds"] == 0 and progress["aired_seconds"] >= 5


@override_settings(**LIVE)
def test_studio_edits_are_checked_and_register_the_stream(author, lesson):  # noqa: F811
    bad = post_json(
        author, lesson, "submit_studio_edits", {"values": {"stream_name": "a b", "starts_at": "x"}}
    )
    assert bad.status_code == 400 and {"stream_name", "starts_at", "display_name"} <= set(
        bad.json()["field_errors"]
    )
    values = {
        "display_name": "直播",
        "stream_name": "live1b",
        "starts_at": "2026-12-24T19:00",
        "ends_at": "2026-12-24T20:30",
        "attendance_required": 0.8,
        "anti_idle_minutes": 15,
    }
    assert post_json(author, lesson, "submit_studio_edits", {"values": values}).status_code == 200
    row = LiveStream.objects.get(usage_key=lesson)
    assert row.stream == "live1b" and row.starts_at.isoformat() == "2026-12-24T11:00:00+00:00"


@override_settings(**LIVE)
def test_the_demo_course_has_a_lesson_now_and_yesterdays_with_its_recording(demo_site):
    from xueshi_live.block import XueshiLiveBlock
    from xueshi_livestream import api
    from xueshi_livestream.demo import NOW_STREAM, PAST_STREAM, seed_demo_live

    units = XueshiLiveBlock.workbench_scenarios()  # with a provider (make sandbox's) the demo has them
    titles = ["直播课：安全生产月专题讲座", "直播回放：危险化学品事故案例分析"]
    assert [title for title, _olx in units] == titles
    assert 'stream_name="demo_live_now"' in units[0][1]
    for _ in range(2):  # make sandbox seeds on every start
        seed_demo_live()
    now, past = (LiveStream.objects.get(stream=name) for name in (NOW_STREAM, PAST_STREAM))
    assert api.state(now.usage_key).phase == "paused"  # in its slot: `manage.py live_sandbox push` airs it
    aired = api.state(past.usage_key)
    assert aired.phase == "after" and aired.recording_asset and len(aired.on_air) == 1
    assert aired.aired_seconds(time.time()) == 40 * 60
    with override_settings(XUESHI_LIVE_PROVIDER=""):
        assert XueshiLiveBlock.workbench_scenarios() == [] and seed_demo_live() == []


@override_settings(**LIVE)
def test_an_app_and_the_h5_page_join_through_the_blocks_own_handlers(learner, lesson):  # noqa: F811
    auth = bearer("lisi")
    refused = open_app(auth, usage=lesson)  # the block's own refusal, through the app's endpoint
    assert refused.status_code == 409 and refused.json()["error"] == "not_on_air"
    events.apply(StreamEvent(START, "live1", time.time() - 5))
    grant = open_app(auth, usage=lesson, HTTP_USER_AGENT="edX/org.edx.mobile/5.2.0 (Android)").json()
    assert grant["live"] is True and grant["status"]["phase"] == "on_air"
    (source,) = grant["video"]["sources"]  # the app's player plays the signed stream
    assert source["url"].startswith("https://play.example.cn/live/live1.m3u8?auth_key=")
    assert grant["progress_url"].endswith("/handler/live_progress")
    assert grant["h5_url"].endswith("/handler/h5")
    assert grant["checkpoints"]["items"] == [] and grant["rules"]["anti_idle_seconds"] >= 0
    assert PlaybackSession.objects.get(pk=grant["session_id"]).client == "app"
    assert beat(auth, grant["token"], 1, 0, "play").json()["accepted"] is True  # the app's token beats

    h5 = learner.get(grant["h5_url"].removeprefix("http://testserver"))  # what the app's webview opens
    html = h5.content.decode()
    assert h5.status_code == 200 and html.startswith("<!DOCTYPE html>") and "xl-video" in html
    boot = json.loads(re.search(r'id="xueshi-h5-boot">(.*?)</script>', html, re.S).group(1))
    assert boot["args"]["client"] == "h5" and boot["handlers"]["open_live"].endswith("/handler/open_live")
    assert "/xblock/resource/xueshi_live/public/js/dist/live.js" in html
    assert learner.post(grant["h5_url"].removeprefix("http://testserver")).status_code == 405
