"""A real Celery worker flushes credited study time from Redis to MariaDB, once and only once.

The web side (Django test client, real Redis) credits a short honest playback; a worker process
(RabbitMQ broker) runs ``xueshi_studytime.tasks.flush_ledger`` against the same test database.
"""

import json
import time

import pytest
from django.conf import settings
from django.test import Client

from tests.component.conftest import celery_worker
from xueshi_studytime.api import open_session
from xueshi_studytime.data import VideoPolicy
from xueshi_studytime.models import DailyStudyTotal, LedgerEntry

USAGE = "block-v1:测试机构+CELERY1+2026+type@xueshi_video+block@flush"
HEARTBEATS = "/api/xueshi/studytime/v1/heartbeats"


@pytest.fixture
def worker(transactional_db):
    db = settings.DATABASES["default"]
    url = f"mysql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    with celery_worker("xueshi-flush-test", XUESHI_DB_URL=url) as client:
        yield client


def wait_for(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


def test_worker_flushes_credited_seconds_exactly_once(worker, django_user_model):
    learner = django_user_model.objects.create_user("学员丙", password="口令-123456")
    grant = open_session(
        user=learner,
        usage_key=USAGE,
        policy=VideoPolicy(duration=300.0, anti_idle_seconds=0, heartbeat_seconds=2),
    )
    http = Client()
    http.force_login(learner)
    position = 0.0
    for seq, event in enumerate(("play", "tick", "tick", "pause"), start=1):
        if seq > 1:
            time.sleep(2.0)
            position += 2.0
        body = {
            "token": grant.token,
            "seq": seq,
            "position": position,
            "playing": event != "pause",
            "visible": True,
            "rate": 1.0,
            "event": event,
        }
        response = http.post(HEARTBEATS, json.dumps(body), content_type="application/json")
        assert response.status_code == 200, response.content
    assert not LedgerEntry.objects.exists(), "the web process must not write MariaDB on the heartbeat path"

    for _ in range(2):  # the second run finds nothing new: nothing is counted twice
        worker.send_task("xueshi_studytime.tasks.flush_ledger", queue="xueshi-flush-test")
        assert wait_for(lambda: LedgerEntry.objects.count() >= 3), "the worker did not flush the ledger"
    time.sleep(2)

    credited_ms = sum(LedgerEntry.objects.values_list("credited_ms", flat=True))
    assert 5_000 <= credited_ms <= 7_000  # three 2-second stretches of honest play, server-timed
    assert LedgerEntry.objects.count() == 3
    total = DailyStudyTotal.objects.get(user=learner)
    assert total.credited_ms == credited_ms
