"""A real Celery worker (RabbitMQ broker, Redis results) runs Xueshi tasks with Xueshi loaded."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BROKER = os.environ.get("XUESHI_TEST_CELERY_BROKER", "amqp://guest:guest@127.0.0.1:5672//")
RESULTS = "redis://127.0.0.1:6379/6"
REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def worker():
    env = dict(
        os.environ,
        XUESHI_CELERY_BROKER=BROKER,
        XUESHI_REDIS_URL=RESULTS,
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
            "-n",
            "xueshi-test@%h",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    yield process
    process.terminate()
    process.wait(timeout=30)


def test_worker_runs_report_components_and_has_every_xueshi_part(worker, settings):
    from celery import Celery

    client = Celery("xueshi-test-client", broker=BROKER, backend=RESULTS)
    result = client.send_task("xueshi_core.tasks.report_components").get(timeout=60)
    assert result["all_loaded"] is True
    assert {c["name"] for c in result["components"]} >= {"xueshi_core", "xueshi_studytime", "xueshi_video"}
