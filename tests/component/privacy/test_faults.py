"""Faults: a Redis outage gives clear 503s on study and sign-in and serves other pages unchecked,
an audit row the database refuses is spooled and replayed, and every case is counted on the
status page. Redis is "down" by pointing the clients at a closed port (the shared Redis stays up)."""

from __future__ import annotations

import json
from contextlib import contextmanager

import pytest
from django.contrib.auth import get_user_model
from django.db import OperationalError, connection
from django.test import Client, override_settings

from xueshi_access.audit import SPOOL_KIND, replay_spooled
from xueshi_access.models import AccessEvent
from xueshi_core import faults, spool
from xueshi_studytime import api as ledger
from xueshi_studytime.data import VideoPolicy

from ..face.conftest import HEARTBEATS, USAGE
from ..ledgerkit import ManualClock, isolated_ledger

PASSWORD = "outage-2026"
DOWN = "redis://127.0.0.1:6391/0"  # nothing listens there: connection refused, like a dead Redis
UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124.0"


@pytest.fixture(autouse=True)
def env(tmp_path):
    with (
        isolated_ledger(
            "faults", ManualClock(), XUESHI_STUDYTIME_TOKEN_KEYS=["faults-test-key"], LANGUAGE_CODE="zh-cn"
        ),
        override_settings(XUESHI_SPOOL_DIR=str(tmp_path / "spool"), XUESHI_FACE_STUDY_CHECK_MINUTES=0),
    ):
        yield


@pytest.fixture
def learner(db):
    return get_user_model().objects.create_user("outage", "outage@example.com", PASSWORD)


@pytest.fixture
def browser(learner):
    client = Client(REMOTE_ADDR="202.96.128.86", HTTP_USER_AGENT=UA, HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert client.post("/login/", {"username": "outage", "password": PASSWORD}).status_code in (200, 302)
    return client


@contextmanager
def redis_down():
    with override_settings(XUESHI_ACCESS_REDIS_URL=DOWN, XUESHI_STUDYTIME_REDIS_URL=DOWN):
        yield


def heartbeat(client, token):
    body = {"token": token, "seq": 1, "position": 0, "playing": True, "visible": True, "rate": 1.0}
    return client.post(HEARTBEATS, json.dumps({**body, "event": "play"}), content_type="application/json")


def test_pages_are_served_without_the_device_check_and_counted(browser):
    with redis_down():
        page = browser.get("/xueshi/identity/profile/")
    assert page.status_code == 200
    assert faults.total(faults.DEVICE_CHECK_SKIPPED) == 1


def test_heartbeats_fail_closed_with_a_clear_503_and_nothing_is_credited(browser, learner):
    grant = ledger.open_session(user=learner, usage_key=USAGE, policy=VideoPolicy(duration=600.0))
    with redis_down():
        refused = heartbeat(browser, grant.token)
    assert refused.status_code == 503 and refused["Retry-After"] == "30"
    assert refused.json()["error"] == "service_unavailable" and "学习计时已暂停" in refused.json()["message"]
    assert faults.total(faults.DEVICE_CHECK_REFUSED) == 1
    with redis_down(), override_settings(XUESHI_ACCESS_SINGLE_DEVICE=False):
        ledger_down = heartbeat(browser, grant.token)  # no device check: the ledger's own Redis call fails
    assert ledger_down.status_code == 503 and "学习计时已暂停" in ledger_down.json()["message"]
    assert faults.total(faults.REDIS_UNAVAILABLE) == 1
    assert ledger.credited_seconds_on(learner.id, "course-v1:Xueshi+FACE101+2026") == 0


def test_sign_in_is_refused_with_a_clear_503_while_throttling_cannot_run(learner):
    client = Client(REMOTE_ADDR="202.96.128.86", HTTP_USER_AGENT=UA, HTTP_ACCEPT_LANGUAGE="zh-CN")
    with redis_down():
        response = client.post("/login/", {"username": "outage", "password": PASSWORD})
    assert response.status_code == 503 and "登录服务暂时不可用" in response.content.decode()
    assert faults.total(faults.SIGN_IN_REFUSED) == 1


def test_an_audit_row_the_database_refuses_is_spooled_counted_shown_and_replayed(learner, admin_client):
    def refuse_audit_inserts(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT") and AccessEvent._meta.db_table in sql:
            raise OperationalError(2013, "Lost connection to MySQL server during query")
        return execute(sql, params, many, context)

    client = Client(REMOTE_ADDR="202.96.128.86", HTTP_USER_AGENT=UA, HTTP_ACCEPT_LANGUAGE="zh-CN")
    with connection.execute_wrapper(refuse_audit_inserts):
        signed_in = client.post("/login/", {"username": "outage", "password": PASSWORD})
    assert signed_in.status_code in (200, 302) and "_auth_user_id" in client.session  # not locked out
    assert not AccessEvent.objects.filter(user=learner).exists()
    assert spool.pending(SPOOL_KIND) == 1 and faults.total(faults.AUDIT_SPOOLED) == 1
    status = admin_client.get("/xueshi/api/v1/status").json()
    assert status["spooled"] == {SPOOL_KIND: 1}
    assert {f["name"]: f["today"] for f in status["faults"]}[faults.AUDIT_SPOOLED] == 1
    page = admin_client.get("/xueshi/status/").content.decode()
    assert f'data-spool="{SPOOL_KIND}" data-pending="1"' in page

    assert replay_spooled() == 1
    row = AccessEvent.objects.get(user=learner)
    assert row.event == AccessEvent.SIGN_IN and row.ip == "202.96.128.86" and row.user_agent == UA
    assert spool.pending(SPOOL_KIND) == 0 and replay_spooled() == 0
    assert AccessEvent.objects.filter(user=learner).count() == 1
