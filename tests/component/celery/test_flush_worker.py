"""A real Celery worker flushes credited study time from Redis to MariaDB, once and only once.

The web side (Django test client, real Redis) credits a short honest playback; a worker process
(RabbitMQ broker) runs ``xueshi_studytime.tasks.flush_ledger`` against the same test database.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from django.test import Client

from xueshi_studytime.api import open_session
from xueshi_studytime.data import VideoPolicy
from xueshi_studytime.models import DailyStudyTotal, LedgerEntry

BROKER = os.environ.get("XUESHI_TEST_CELERY_BROKER", "amqp://guest:guest@127.0.0.1:5672//")
REPO = Path(__file__).resolve().parents[3]
USAGE = "block-v1:测试机构+CELERY1+2026+type@xueshi_video+block@flush"
HEARTBEATS = "/api/xueshi/studytime/v1/heartbeats"


@pytest.fixture
def worker(transactional_db):
    database = settings.DATABASES["default"]
    env = dict(
        os.environ,
        XUESHI_CELERY_BROKER=BROKER,
        XUESHI_DB_URL=f"mysql://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        DJANGO_SETTINGS_MODULE="sandbox.settings",
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "sandbox",
            "worker",
            "--pool=solo",
            "--loglevel=warning",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            "xueshi-flush-test",
            "-n",
            "flush-test@%h",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield Celery("xueshi-flush-test-client", broker=BROKER)
    process.terminate()
    process.wait(timeout=30)


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
