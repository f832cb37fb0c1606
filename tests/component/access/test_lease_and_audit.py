"""The video lease follows the device; the audit records who, when, where, on what, and why."""

from __future__ import annotations

import json
from typing import Any

from django.test import override_settings

from xueshi_access.models import AccessEvent
from xueshi_studytime.api import open_session
from xueshi_studytime.data import VideoPolicy

from .conftest import APP_UA, PHONE_UA, app_client, app_token, browser, web_sign_in

USAGE = "block-v1:XueshiDemo+AQ101+2026+type@xueshi_video+block@access-test"
HEARTBEATS = "/api/xueshi/studytime/v1/heartbeats"


def beat(client: Any, token: str, seq: int, position: float) -> Any:
    body = {
        "token": token,
        "seq": seq,
        "position": position,
        "playing": True,
        "visible": True,
        "rate": 1.0,
        "event": "tick",
    }
    return client.post(HEARTBEATS, json.dumps(body), content_type="application/json")


def test_sign_in_elsewhere_stops_the_playing_video_of_the_old_device(learner: Any) -> None:
    pc = browser()
    web_sign_in(pc)
    grant = open_session(
        user=learner, usage_key=USAGE, policy=VideoPolicy(duration=600.0, anti_idle_seconds=0)
    )
    assert beat(pc, grant.token, 1, 0).status_code == 200

    issued = app_token(app_client())  # the phone app signs in
    assert issued.status_code == 200

    # The old browser's heartbeat is refused by the device rule with a message the player shows...
    reply = beat(pc, grant.token, 2, 5)
    assert reply.status_code == 401 and reply.json()["error_code"] == "session_replaced"
    # ...a beat with the token alone is no credential at all (ADR 0030)...
    from django.test import Client

    assert beat(Client(), grant.token, 3, 10).status_code == 401
    # ...and the ledger itself ended the playback: even the account's live app credits nothing.
    app = Client(HTTP_AUTHORIZATION=f"JWT {issued.json()['access_token']}")
    body = beat(app, grant.token, 3, 10).json()
    assert body["stop"] is True and body["lease"] == "lost" and body.get("credited", 0) == 0


def test_audit_records_sign_ins_failures_and_ends_with_ip_region_device_and_reason(learner: Any) -> None:
    pc, phone = browser(), browser("61.135.169.121", PHONE_UA)
    web_sign_in(pc, password="wrong-password")
    web_sign_in(pc)
    web_sign_in(phone)
    app_token(app_client("58.60.0.1"))

    rows = list(AccessEvent.objects.order_by("id"))
    assert [(r.event, r.reason, r.kind, r.channel) for r in rows] == [
        ("sign_in_failed", "", "pc", ""),
        ("sign_in", "", "pc", "session"),
        ("session_ended", "replaced", "pc", "session"),
        ("sign_in", "", "mobile", "session"),
        ("session_ended", "replaced", "mobile", "session"),
        ("sign_in", "", "app", "token"),
    ]
    failed, first = rows[0], rows[1]
    assert failed.username == "zhangsan" and failed.user_id == learner.id and failed.ip == "202.96.128.86"
    assert first.region == "中国 广东省 广州市" and first.region_code == "44"
    assert rows[3].region_code == "11" and rows[5].region_code == "44" and rows[5].user_agent == APP_UA


@override_settings(XUESHI_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_forwarded_for_is_believed_only_from_a_trusted_proxy(learner: Any) -> None:
    from django.test import Client

    behind_proxy = Client(REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="1.1.1.1, 222.66.0.1")
    web_sign_in(behind_proxy)
    spoofing = Client(REMOTE_ADDR="121.229.0.1", HTTP_X_FORWARDED_FOR="8.8.8.8")
    web_sign_in(spoofing)
    ips = list(AccessEvent.objects.filter(event="sign_in").order_by("id").values_list("ip", "region_code"))
    assert ips == [("222.66.0.1", "31"), ("121.229.0.1", "32")]


@override_settings(XUESHI_ACCESS_ACCOUNT_FAILURE_LIMIT=3, XUESHI_ACCESS_LOCKOUT_SECONDS=600)
def test_repeated_failures_lock_the_account_on_web_and_token_paths(learner: Any) -> None:
    pc = browser()
    for _ in range(3):
        assert web_sign_in(pc, password="nope").status_code == 200  # the form again, with its error
    locked = web_sign_in(pc)  # right password, but locked
    assert locked.status_code == 429
    assert "分钟后再试" in locked.content.decode()
    token = app_token(app_client(), token_type="bearer")
    assert token.status_code == 429
    assert token.json()["error_code"] == "account_locked" and int(token["Retry-After"]) > 500
    assert AccessEvent.objects.filter(event="throttled", reason="account_locked").count() >= 2
    assert not AccessEvent.objects.filter(event="sign_in").exists()


@override_settings(XUESHI_ACCESS_IP_FAILURE_LIMIT=4, XUESHI_ACCESS_ACCOUNT_FAILURE_LIMIT=100)
def test_one_ip_guessing_across_accounts_is_locked(learner: Any) -> None:
    guesser = browser("113.108.0.9")
    for name in ("zhangsan", "lisi", "wangwu", "nobody"):
        guesser.post("/login/", {"username": name, "password": "guess"})
    reply = guesser.post("/login/", {"username": "lisi", "password": "xueshi-demo-2026"})
    assert reply.status_code == 429
    assert "网络" in reply.content.decode()
    # Another network is not affected.
    assert web_sign_in(browser("202.96.128.86"), "lisi").status_code == 302
