"""Bad input on the heartbeat endpoint: a 4xx with an error code, never a 500, nothing credited."""

from __future__ import annotations

import json
import uuid

import pytest
from django.test import Client, override_settings

from sandbox.lms.auth import mint_jwt
from xueshi_studytime import hotstate
from xueshi_studytime.tokens import TokenClaims, sign, usage_hash

from .conftest import HEARTBEATS, USAGE, USAGE_2

pytestmark = [pytest.mark.component, pytest.mark.django_db]


def nothing_credited(learner):
    r = hotstate.client()
    return not any(
        ":d:" in k for k in r.scan_iter(match="*", count=1000) if r.type(k) == "string" and r.get(k) != "0"
    )


def post(client, body, **extra):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(HEARTBEATS, data, content_type="application/json", **extra)


@pytest.fixture
def started(learner, open_player, clock):
    player = open_player(learner)  # signed in: the token alone is not a credential (ADR 0030)
    player.beat(0, event="play")
    clock.advance(30)
    return player


def valid(player, **over):
    body = {
        "token": player.token,
        "seq": 2,
        "position": 30,
        "playing": True,
        "visible": True,
        "rate": 1.0,
        "event": "tick",
    }
    body.update(over)
    return body


@pytest.mark.parametrize(
    ("over", "status", "code"),
    [
        ({"position": -1}, 400, "invalid_position"),
        ({"position": 10_000}, 400, "position_out_of_range"),
        ({"position": "30"}, 400, "invalid_position"),
        ({"position": None}, 400, "invalid_position"),
        ({"rate": "fast"}, 400, "invalid_rate"),
        ({"rate": 0}, 400, "invalid_rate"),
        ({"seq": -3}, 400, "invalid_seq"),
        ({"seq": 2**40}, 400, "invalid_seq"),
        ({"seq": True}, 400, "invalid_seq"),
        ({"playing": "yes"}, 400, "invalid_playing"),
        ({"event": "teleport"}, 400, "invalid_event"),
        ({"token": ""}, 401, "token_invalid"),
        ({"token": "v1.AAAA.BBBB"}, 401, "token_invalid"),
    ],
)
def test_malformed_values_are_4xx_with_a_code(started, over, status, code):
    response = post(started.http, valid(started, **over))
    assert response.status_code == status, response.content
    assert response.json()["error"] == code and response.json()["detail"]
    assert post(started.http, valid(started)).json()["credited"] == 30, "the bad beat consumed nothing"


@pytest.mark.parametrize(
    "raw",
    [
        '{"token": "x", "position": NaN, "seq": 2}',
        '{"position": Infinity}',
        "not json",
        "[1, 2]",
        "",
        b"\xff\xfe",
    ],
)
def test_non_json_and_nan_bodies_are_400(started, raw):
    response = post(Client(), raw)
    assert response.status_code == 400 and response.json()["error"] == "malformed"


def test_oversized_body_is_400(started):
    response = post(started.http, valid(started, padding="x" * 5000))
    assert response.status_code == 400 and response.json()["error"] == "body_too_large"


def test_tampered_token_is_401(started):
    token = started.token
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    response = post(started.http, valid(started, token=tampered))
    assert response.status_code == 401 and response.json()["error"] == "token_invalid"


def test_expired_token_is_401(started, clock):
    clock.advance(9 * 3600)
    response = post(started.http, valid(started))
    assert response.status_code == 401 and response.json()["error"] == "token_expired"


def test_token_signed_with_a_key_not_in_the_list_is_401(started):
    with override_settings(XUESHI_STUDYTIME_TOKEN_KEYS=["a-new-key"]):
        assert post(started.http, valid(started)).status_code == 401
    with override_settings(XUESHI_STUDYTIME_TOKEN_KEYS=["a-new-key", "component-test-key-1"]):
        assert post(started.http, valid(started)).status_code == 200, (
            "rotation keeps old keys valid while listed"
        )


def test_foreign_token_with_another_users_session_is_403(started, other_learner):
    client = Client()
    client.force_login(other_learner)
    response = post(client, valid(started))
    assert response.status_code == 403 and response.json()["error"] == "token_foreign"


def test_foreign_token_with_another_users_jwt_is_403(started, other_learner):
    response = post(Client(), valid(started), HTTP_AUTHORIZATION=f"JWT {mint_jwt(other_learner)}")
    assert response.status_code == 403 and response.json()["error"] == "token_foreign"


def test_own_jwt_is_accepted_for_the_mobile_path(started, learner):
    response = post(Client(), valid(started), HTTP_AUTHORIZATION=f"JWT {mint_jwt(learner)}")
    assert response.status_code == 200 and response.json()["credited"] == 30


def test_bad_jwt_is_401(started):
    response = post(Client(), valid(started), HTTP_AUTHORIZATION="JWT not.a.jwt")
    assert response.status_code == 401 and response.json()["error"]


def test_well_signed_token_for_an_unknown_session_is_401(started, learner):
    token = sign(
        TokenClaims(str(uuid.uuid4()), learner.id, usage_hash(USAGE), 4_000_000_000), b"component-test-key-1"
    )
    response = post(started.http, valid(started, token=token))
    assert response.status_code == 401 and response.json()["error"] == "session_unknown"


def test_well_signed_token_for_another_block_is_403(started, learner):
    sid = started.grant.session_id
    token = sign(TokenClaims(sid, learner.id, usage_hash(USAGE_2), 4_000_000_000), b"component-test-key-1")
    response = post(started.http, valid(started, token=token))
    assert response.status_code == 403 and response.json()["error"] == "token_foreign"


def test_get_and_wrong_method_are_4xx(started):
    response = Client().get(HEARTBEATS)
    assert response.status_code == 405 and "POST" in response["Allow"]
    assert response.json()["error"] == "method_not_allowed" and response.json()["detail"]
    answer = Client().put("/api/xueshi/studytime/v1/challenges/answer", "{}", content_type="application/json")
    assert answer.status_code == 405 and answer.json()["error"] == "method_not_allowed"


def test_a_bad_jwt_is_401_authentication_failed(started):
    response = post(Client(), valid(started), HTTP_AUTHORIZATION="JWT not.a.jwt")
    assert response.status_code == 401 and response.json()["error"] == "authentication_failed"


def test_the_plain_views_are_documented_by_the_drf_classes():
    from django.urls import resolve

    from xueshi_studytime.rest_api.v1.views import ChallengeAnswerView, HeartbeatView

    assert resolve(HEARTBEATS).func.cls is HeartbeatView
    assert resolve("/api/xueshi/studytime/v1/challenges/answer").func.cls is ChallengeAnswerView


def test_english_and_chinese_messages(started, clock):
    body = post(started.http, valid(started, position=500), HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["reason"] == "seek" and "watched" in body["message"]
    clock.advance(30)
    body = post(started.http, valid(started, seq=3, position=500), HTTP_ACCEPT_LANGUAGE="zh-CN").json()
    assert body["reason"] == "seek" and "已" in body["message"]


def test_openapi_schema_documents_the_endpoints(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    text = response.content.decode()
    for path in (
        "/api/xueshi/studytime/v1/heartbeats",
        "/api/xueshi/studytime/v1/challenges/answer",
        "/api/xueshi/studytime/v1/me/summary",
    ):
        assert path in text
    assert "HeartbeatResponse" in text and "credited_today_seconds" in text
