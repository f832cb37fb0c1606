"""A native app opens its playback session at ``POST /api/xueshi/studytime/v1/sessions`` (ADR 0033).

The app signs in with the sandbox's real OAuth2 password grant (an opaque DOT Bearer token), opens
a session through the REST endpoint, heartbeats with the same token, and is credited exactly what
the browser earns through the block's handler: the endpoint runs that handler, so every gate of
the browser's path applies, and the session token is bound to the app's account.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings

from sandbox.lms.models import Enrollment
from xueshi_studytime import api as ledger
from xueshi_studytime.models import PlaybackSession

from .conftest import LESSON1, post_json

pytestmark = pytest.mark.django_db
SESSIONS = "/api/xueshi/studytime/v1/sessions"
HEARTBEATS = "/api/xueshi/studytime/v1/heartbeats"
COURSE = "course-v1:XueshiDemo+AQ101+2026"
PRACTICE_LIKE = "block-v1:XueshiDemo+AQ101+2026+type@xueshi_practice+block@p"


def bearer(username: str) -> str:
    """The app's sign-in: the password grant at /oauth2/access_token, an opaque DOT token."""
    reply = Client().post(
        "/oauth2/access_token",
        {
            "grant_type": "password",
            "client_id": "xueshi-sandbox-mobile",
            "username": username,
            "password": "xueshi-demo-2026",
            "token_type": "bearer",
        },
    )
    assert reply.status_code == 200, reply.content
    return f"Bearer {reply.json()['access_token']}"


def open_app(auth: str, usage: str = LESSON1, course: str = COURSE, **extra: Any) -> Any:
    body = json.dumps({"course_id": course, "usage_key": usage})
    return Client().post(SESSIONS, body, content_type="application/json", HTTP_AUTHORIZATION=auth, **extra)


def beat(auth: str | Client | None, token: str, seq: int, position: float, event: str = "tick") -> Any:
    """A heartbeat signed by an app's ``Authorization`` header, or sent by a signed-in browser."""
    body = {"token": token, "seq": seq, "position": position, "playing": True, "visible": True}
    body["event"] = event
    client = auth if isinstance(auth, Client) else Client()
    headers = {"HTTP_AUTHORIZATION": auth} if isinstance(auth, str) else {}
    return client.post(HEARTBEATS, json.dumps(body), content_type="application/json", **headers)


def play_minute(send: Any, token: str, clock: Any) -> list[tuple[float, str | None]]:
    """Play 0 → 60 s in honest 30 s beats; return what each beat credited and why not."""
    replies = []
    for seq, position in enumerate((0, 30, 60), start=1):
        if seq > 1:
            clock.advance(30)
        reply = send(token, seq, position, "play" if seq == 1 else "tick")
        assert reply.status_code == 200, reply.content
        replies.append((reply.json()["credited"], reply.json()["reason"]))
    return replies


@override_settings(XUESHI_STUDYTIME_MEDIA_SIGNED_PREFIXES=["/media/"])
def test_an_app_is_credited_the_same_as_the_browser(learner: Any, clock: Any) -> None:
    browser = post_json(learner, LESSON1, "open_session", {"client": "web"}).json()
    auth = bearer("lisi")
    reply = open_app(auth, HTTP_USER_AGENT="edX/org.edx.mobile/5.2.0 (iPhone; iOS 17.4)")
    assert reply.status_code == 200, reply.content
    grant = reply.json()

    assert grant["heartbeat_url"] == f"http://testserver{HEARTBEATS}"
    assert grant["h5_url"].startswith("http://testserver/courses/")
    assert grant["h5_url"].endswith("/handler/h5")
    assert grant["challenge_interval_seconds"] == grant["rules"]["anti_idle_seconds"]
    assert grant["resume_position"] == 0 and grant["duration"] == browser["duration"]
    sources = grant["video"]["sources"]
    assert sources and all(s["url"].startswith("http://testserver/media/") for s in sources)
    assert all("xst=" in s["url"] for s in sources)  # signed for lisi, as the web player's are
    for item in grant["checkpoints"]["items"]:
        assert set(item) == {"id", "at", "kind", "passed", "over"}  # no answers, no options
    row = PlaybackSession.objects.get(pk=grant["session_id"])
    assert (row.client, row.user.username, row.user_agent[:4]) == ("app", "lisi", "edX/")

    app_beats = play_minute(lambda t, n, p, e: beat(auth, t, n, p, e), grant["token"], clock)
    web_beats = play_minute(lambda t, n, p, e: beat(learner, t, n, p, e), browser["token"], clock)
    # Lesson 1 stops at its checkpoint at 30 s: the app's session has the same barrier as the browser's.
    assert app_beats == web_beats == [(0, None), (30, None), (0, "checkpoint_pending")]
    lisi, zhangsan = get_user_model().objects.in_bulk(["lisi", "zhangsan"], field_name="username").values()
    assert ledger.get_progress(lisi.id, LESSON1) == ledger.get_progress(zhangsan.id, LESSON1)

    reopened = open_app(auth).json()  # the next open resumes where the app stopped
    assert reopened["resume_position"] == 30 and reopened["replaced_session"] is True


def test_another_accounts_token_cannot_use_the_session(demo_site: Any, clock: Any) -> None:
    lisi = bearer("lisi")
    token = open_app(lisi).json()["token"]
    assert beat(lisi, token, 1, 0, "play").json()["accepted"] is True
    clock.advance(20)
    thief = beat(bearer("wangwu"), token, 2, 20)
    assert thief.status_code == 403 and thief.json()["error"] == "token_foreign"
    assert beat(None, token, 3, 20).status_code == 401
    mine = beat(lisi, token, 2, 20).json()  # the owner's sequence did not move
    assert mine["accepted"] is True and mine["credited"] == 20
    assert beat(lisi, token, 3, 20, "unload").status_code == 200  # the app closes its session
    clock.advance(10)
    after = beat(lisi, token, 4, 30).json()
    assert (after["credited"], after["reason"], after["stop"]) == (0, "session_ended", True)

    Client().post("/login/", {"username": "lisi", "password": "xueshi-demo-2026"})  # one device
    replaced = open_app(lisi)
    assert replaced.status_code == 401 and replaced.json()["error_code"] == "session_replaced"


def test_the_browser_paths_gates_apply(demo_site: Any, clock: Any, settings: Any) -> None:
    auth = bearer("lisi")
    assert open_app("Bearer never-issued").status_code == 401
    assert Client().post(SESSIONS, "{}", content_type="application/json").status_code == 401
    bad = {
        "course": open_app(auth, course="course-v1:Other+X+1").json()["error"],
        "type": open_app(auth, usage=PRACTICE_LIKE).json()["error"],
        "key": open_app(auth, usage="block-v1:bad").json()["error"],
    }
    assert bad == {"course": "usage_not_in_course", "type": "not_a_video", "key": "invalid_usage_key"}
    missing = open_app(auth, usage=LESSON1.replace("video_lesson1", "nope"))
    assert missing.status_code == 404

    lisi = get_user_model().objects.get(username="lisi")
    ledger.place_hold(lisi.id, "face_check", url="/xueshi/face/check/")  # a face check is owed
    settings.XUESHI_STUDYTIME_OPEN_BURST, settings.XUESHI_STUDYTIME_OPEN_REFILL_SECONDS = 1, 20
    held = open_app(auth).json()["holds"]
    assert [(h["kind"], h["url"]) for h in held] == [("face_check", "/xueshi/face/check/")]
    throttled = open_app(auth)
    assert throttled.status_code == 429 and throttled.json()["error"] == "too_many_sessions"
    assert throttled["Retry-After"] == "20" and throttled.json()["retry_after"] == 20

    Enrollment.objects.filter(user__username="lisi").update(is_active=False)
    refused = open_app(auth)
    assert refused.status_code == 403 and refused.json()["error"] == "not_enrolled"
    newcomer = get_user_model().objects.create_user("zhaoliu", password="xueshi-demo-2026")
    Enrollment.objects.create(user=newcomer, course=Enrollment.objects.first().course)
    with override_settings(XUESHI_IDENTITY_REQUIRED=True):  # no real-name profile yet
        gated = open_app(bearer("zhaoliu"))
    assert gated.status_code == 403 and gated.json()["error_code"] == "identity_profile_required"
    assert not PlaybackSession.objects.filter(user__username__in=["zhaoliu"]).exists()


def test_the_schema_lists_the_endpoint() -> None:
    schema = Client().get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/xueshi/studytime/v1/sessions"]["post"]
    assert "Open (or take over)" in operation["description"] and "播放会话" in operation["description"]
    assert operation["requestBody"]["content"]["application/json"]["examples"]
    assert "usage_key" in json.dumps(operation["requestBody"])
    assert {"200", "403", "429"} <= set(operation["responses"])
    assert operation["security"]  # the app's token schemes are declared
