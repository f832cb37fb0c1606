"""A session token is bound to the sign-in that opened it: a leaked token earns nothing (ADR 0030).

The player opens its session through the block's real handler, so the token names the browser's
Django session; heartbeats from anyone else (no cookie, another account, another session of the
same account, the same account's app token) are refused before the ledger is touched, and the
owner's next beat is credited as if nothing had happened.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, override_settings

from sandbox.lms.auth import mint_jwt

from .conftest import LESSON1, post_json

pytestmark = pytest.mark.django_db
HEARTBEATS = "/api/xueshi/studytime/v1/heartbeats"
ANSWER = "/api/xueshi/studytime/v1/challenges/answer"


def beat(client: Client, token: str, seq: int, position: float, **extra: Any) -> Any:
    body = {"token": token, "seq": seq, "position": position, "playing": True, "visible": True}
    return client.post(HEARTBEATS, json.dumps(body), content_type="application/json", **extra)


def side_session(username: str) -> Client:
    """A second, valid browser session of ``username`` (made directly, as a thief's copy would be)."""
    user = get_user_model().objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    client = Client()
    client.cookies["sessionid"] = session.session_key
    return client


@override_settings(XUESHI_ACCESS_SINGLE_DEVICE=False)  # a second session must reach the ledger at all
def test_a_leaked_token_earns_nothing_and_leaves_the_owners_sequence_alone(learner: Any, clock: Any) -> None:
    grant = post_json(learner, LESSON1, "open_session", {"client": "web"}).json()
    token = grant["token"]
    assert beat(learner, token, 1, 0).json()["accepted"] is True
    clock.advance(30)

    anonymous = beat(Client(), token, 50, 30)
    assert anonymous.status_code == 401 and anonymous.json()["error"] == "sign_in_required"
    other_account = beat(side_session("lisi"), token, 51, 30)
    assert other_account.status_code == 403 and other_account.json()["error"] == "token_foreign"
    same_account_elsewhere = beat(side_session("zhangsan"), token, 52, 30)
    assert same_account_elsewhere.status_code == 403
    assert same_account_elsewhere.json()["error"] == "token_foreign"
    owner = get_user_model().objects.get(username="zhangsan")
    app = beat(Client(), token, 53, 30, HTTP_AUTHORIZATION=f"JWT {mint_jwt(owner)}")
    assert app.status_code == 403 and app.json()["error"] == "token_foreign"
    answer = Client().post(
        ANSWER, json.dumps({"token": token, "challenge_id": "x"}), content_type="application/json"
    )
    assert answer.status_code == 401

    mine = beat(learner, token, 2, 30).json()  # seq 2 is still next: nobody else moved it
    assert mine["accepted"] is True and mine["credited"] == 30 and mine["lease"] == "held"


def test_the_app_signs_its_beats_with_its_own_token(demo_site: Any, clock: Any) -> None:
    """A session opened by the app (JWT, no browser session) is used with the same account's token."""
    owner = get_user_model().objects.get(username="zhangsan")
    app = Client(HTTP_AUTHORIZATION=f"JWT {mint_jwt(owner)}")
    token = post_json(app, LESSON1, "open_session", {"client": "app"}).json()["token"]
    assert beat(app, token, 1, 0).json()["accepted"] is True
    clock.advance(30)
    other = get_user_model().objects.get(username="lisi")
    assert beat(Client(), token, 2, 30, HTTP_AUTHORIZATION=f"JWT {mint_jwt(other)}").status_code == 403
    assert beat(Client(), token, 2, 30).status_code == 401
    assert beat(app, token, 2, 30).json()["credited"] == 30
