"""Component-layer fixtures: Django on the sandbox settings against MariaDB and Redis."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.conf import settings


@pytest.fixture(autouse=True)
def clean_redis() -> Iterator[None]:
    """Empty the test Redis database around each test (never database 0, which may be someone's)."""
    url = os.environ.get("XUESHI_REDIS_URL", "")
    if not url:
        yield
        return
    import redis

    client = redis.Redis.from_url(url)
    if client.connection_pool.connection_kwargs.get("db", 0) == 0:
        raise RuntimeError("XUESHI_REDIS_URL must name a test database other than 0")
    client.flushdb()
    yield
    client.flushdb()


@pytest.fixture
def seeded_demo(db: Any) -> dict[str, Any]:
    """The sandbox exactly as ``seed_sandbox`` leaves it (``DEMO_UNENROLLED`` learners not enrolled)."""
    from django.core.management import call_command

    from xueshi_core.demo import DEMO_COURSE_KEY, DEMO_PASSWORD

    call_command("seed_sandbox", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return {"course_key": DEMO_COURSE_KEY, "password": DEMO_PASSWORD, "media_root": settings.MEDIA_ROOT}


@pytest.fixture
def demo_site(seeded_demo: dict[str, Any]) -> dict[str, Any]:
    """The seeded sandbox: roles, demo course, demo users, every demo learner enrolled."""
    from tests.enrolkit import enrol_demo_learners

    enrol_demo_learners()
    return seeded_demo


CELERY_BROKER = os.environ.get("XUESHI_TEST_CELERY_BROKER", "amqp://guest:guest@127.0.0.1:5672//")


def start_celery_worker(queue: str, node: str = "", new_session: bool = False, **env: str) -> Any:
    """Start a real ``celery -A sandbox worker`` on its own queue; return its process (to stop or kill).

    The queue is not emptied here: a test that kills a worker wants the next one to get its job
    again. Empty it once at the test's start (``purge_queue``; ``celery_worker`` does).

    ``new_session``: in a process group of its own, so a test can kill it with its children at once.
    """
    import subprocess
    import sys
    from pathlib import Path

    return subprocess.Popen(
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
            queue,
            "-n",
            f"{node or queue}@%h",
        ],
        cwd=Path(__file__).resolve().parents[2],
        env=dict(
            os.environ, XUESHI_CELERY_BROKER=CELERY_BROKER, DJANGO_SETTINGS_MODULE="sandbox.settings", **env
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=new_session,
    )


def purge_queue(queue: str) -> int:
    """Empty the test's queue before its worker starts; how many messages were left in it.

    A worker stopped mid-test leaves what it held (a step re-queued with a countdown) in the
    broker, and the next run's fresh database reuses the same ids: such a message then acted on
    another run's row (tests/component/invoices/test_worker.py issued its second request early).
    Declared as Celery declares a task queue (a durable direct exchange of the same name).
    """
    from kombu import Connection, Exchange, Queue

    with Connection(CELERY_BROKER) as connection:
        bound = Queue(queue, Exchange(queue), routing_key=queue)(connection.default_channel)
        bound.declare()
        return int(bound.purge() or 0)


def celery_client(queue: str, backend: str | None = None) -> Any:
    """A client app that sends tasks to the worker's broker.

    Not the current app: this process's tasks keep the site's app (eager in tests), so a test
    after this one does not queue its tasks to a broker nobody serves.
    """
    from celery import Celery

    return Celery(f"{queue}-client", broker=CELERY_BROKER, backend=backend, set_as_current=False)


@contextmanager
def celery_worker(queue: str, **env: str) -> Iterator[Any]:
    """Run a real ``celery -A sandbox worker`` on its own, emptied queue; yield a client app to send tasks."""
    purge_queue(queue)
    process = start_celery_worker(queue, **env)
    try:
        yield celery_client(queue, env.get("XUESHI_REDIS_URL"))
    finally:
        process.terminate()
        process.wait(timeout=30)
