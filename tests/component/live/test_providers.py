"""Live providers: signed push/play URLs checked the way each provider checks them, and signed callbacks.

The ``verify_url`` half is the provider's rule (the sandbox uses it at its edge); the callback
endpoint must refuse whatever the provider did not sign, with a 4xx, and apply what it did.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from django.test import override_settings
from opaque_keys.edx.keys import UsageKey

from xueshi_livestream import api, providers
from xueshi_livestream.models import OnAir
from xueshi_studytime import onair
from xueshi_studytime.sessions import short_hash

pytestmark = [pytest.mark.component]
KEY = "sandbox-live-key"
USAGE = UsageKey.from_string("block-v1:Xueshi+LV101+2026+type@xueshi_live+block@lesson")
CALLBACK = "/xueshi/live/callback/"
LIVE = {
    "XUESHI_LIVE_AUTH_KEY": KEY,
    "XUESHI_LIVE_PUSH_DOMAIN": "push.example.cn",
    "XUESHI_LIVE_PLAY_DOMAIN": "play.example.cn",
}


def split(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.path, parts.query


@pytest.mark.parametrize("name", ["tencent", "aliyun"])
def test_push_and_play_urls_are_good_and_forged_or_expired_ones_fail(name):
    with override_settings(XUESHI_LIVE_PROVIDER=name, **LIVE):
        adapter, now = providers.get(), time.time()
        for url in (
            adapter.push_url("lesson_1", int(now) + 600),
            adapter.play_url("lesson_1", int(now) + 600),
        ):
            path, query = split(url)
            assert url.startswith(("rtmp://push.example.cn/live/", "https://play.example.cn/live/"))
            assert adapter.verify_url(path, query, now, KEY)
            assert not adapter.verify_url(path, query, now, "another-key")  # forged with a guessed key
            assert not adapter.verify_url(
                path.replace("lesson_1", "lesson_2"), query, now, KEY
            )  # other stream
            assert not adapter.verify_url(path, query, now + 601 + 1800 * (name == "aliyun"), KEY)  # expired
            assert not adapter.verify_url(path, "", now, KEY)


def test_tencent_signature_matches_the_documented_formula():
    with override_settings(XUESHI_LIVE_PROVIDER="tencent", **LIVE):
        url = providers.get().play_url("s1", 0x5C2ACB80)
    assert url.endswith(f"/live/s1.m3u8?txSecret={providers.md5(KEY + 's1' + '5C2ACB80')}&txTime=5C2ACB80")


@pytest.fixture
def lesson(db):
    now = time.time()
    api.register(USAGE, "lesson_1", now - 60, now + 3600)
    return USAGE


def post_tencent(client, payload, key=KEY, now=None):
    body, headers = providers.Tencent.sign_callback(payload, key, now or time.time())
    return client.post(CALLBACK, body, content_type=headers["Content-Type"])


@override_settings(XUESHI_LIVE_PROVIDER="tencent", **LIVE)
def test_tencent_callbacks_are_verified_and_open_and_close_on_air(client, lesson):
    now = time.time()
    start = {"event_type": 1, "stream_id": "lesson_1", "event_time": int(now) - 30, "sequence": "s-1"}
    assert post_tencent(client, start, key="forged").status_code == 403
    assert post_tencent(client, start, now=now - 3600).status_code == 403  # its t passed: a replay
    for bad in ("not json", "[1]", "[" * 500, '{"t": "x"}'):  # no JSON object, nested too deep, no number
        assert client.post(CALLBACK, bad, content_type="application/json").status_code == 400
    assert post_tencent(client, {"event_type": [1], "stream_id": "lesson_1"}).status_code == 400
    assert client.get(CALLBACK).status_code == 405
    assert OnAir.objects.count() == 0
    assert post_tencent(client, start).json() == {"code": 0, "known": True}
    assert post_tencent(client, start).status_code == 200  # a retried notice changes nothing
    assert api.state(lesson).phase == "on_air" and OnAir.objects.count() == 1
    stop = {"event_type": 0, "stream_id": "lesson_1", "event_time": int(now), "sequence": "s-1"}
    assert post_tencent(client, stop).status_code == 200
    (interval,) = onair.read(short_hash(str(lesson)))  # handed to the ledger, which credits inside it
    assert interval == (float(int(now) - 30), float(int(now)))
    unknown = {"event_type": 1, "stream_id": "nobody", "event_time": int(now)}
    assert post_tencent(client, unknown).json()["known"] is False
    assert post_tencent(client, {"event_type": 1, "stream_id": "../x"}).status_code == 400


@override_settings(XUESHI_LIVE_PROVIDER="aliyun", **LIVE)
def test_aliyun_callbacks_are_verified_by_their_headers(client, lesson):
    now = time.time()
    query = f"?action=publish&app=push.example.cn&appname=live&id=lesson_1&time={int(now)}"

    def headers(key=KEY, at=now, domain="push.example.cn"):
        signed = providers.Aliyun.sign_callback(domain, key, at)
        return {f"HTTP_{k.replace('-', '_')}": v for k, v in signed.items()}

    assert client.get(CALLBACK + query, **headers(key="forged")).status_code == 403
    assert client.get(CALLBACK + query, **headers(at=now - 3600)).status_code == 403
    assert client.get(CALLBACK + query).status_code == 403  # unsigned
    assert client.get(CALLBACK + query, **headers()).status_code == 200
    assert api.state(lesson).phase == "on_air"
    done = query.replace("action=publish", "action=publish_done")
    assert client.get(CALLBACK + done, **headers()).status_code == 200
    assert OnAir.objects.get().ended_at is not None
    bad = client.post(CALLBACK, "{}", content_type="application/json", **headers(domain="testserver"))
    assert bad.status_code == 400


@override_settings(XUESHI_LIVE_PROVIDER="tencent", **LIVE)
def test_schedule_phases(lesson):
    start = datetime.now(tz=UTC) + timedelta(hours=1)
    api.register(lesson, "lesson_1", start.timestamp(), start.timestamp() + 600)
    assert api.state(lesson).phase == "before"
    with pytest.raises(ValueError):
        api.register(UsageKey.from_string(str(lesson).replace("lesson", "other")), "lesson_1", 1.0, 2.0)
