"""A real Celery worker killed mid-push: the receiver still holds each record exactly once, in order.

The worker (RabbitMQ broker, its own queue) pushes a batch to a slow province and is killed
(SIGKILL) while the province is storing it. The rows stay *sending* until their lease ends; a
second worker then sends them again with the same keys, the province answers ``duplicate`` and
every row ends *delivered*, each record stored once.
"""

from __future__ import annotations

import json
import os
import signal
import time
from contextlib import contextmanager
from typing import Any

import pytest
from django.conf import settings

from tests.component.conftest import celery_client, purge_queue, start_celery_worker
from xueshi_reporting.models import Delivery, Exchange

from .conftest import held_in_order, states, write_study

QUEUE = "xueshi-reporting-r21-test"


@contextmanager
def worker(env: dict[str, str]) -> Any:
    """A ``celery -A sandbox worker`` on our queue; yields (client, process) so a test can kill it."""
    process = start_celery_worker(QUEUE, node=f"{QUEUE}-{time.monotonic_ns()}", **env)
    try:
        yield celery_client(QUEUE), process
    finally:
        if process.poll() is None:
            process.terminate()
        process.wait(timeout=30)


def wait_for(predicate: Any, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_push_loses_and_doubles_nothing(provinces) -> None:
    province = provinces("fj-worker", batch_size=10, timeout_seconds=10)
    rows = write_study(learners=4, days=5)  # 20 records, two batches
    db = settings.DATABASES["default"]
    env = {
        "XUESHI_DB_URL": f"mysql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "XUESHI_REPORTING_SECRETS": json.dumps(settings.XUESHI_REPORTING_SECRETS),
        "XUESHI_REPORTING_LEASE_SECONDS": "3",
        "XUESHI_REPORTING_BACKOFF_SECONDS": "0.1",
    }
    platform = province.platform
    platform.controls.delay = 2.0  # the province takes its time before storing
    purge_queue(QUEUE)  # nothing an earlier run's killed worker left
    with worker(env) as (client, process):
        client.send_task("xueshi_reporting.tasks.deliver", args=("fj-worker",), queue=QUEUE)
        assert wait_for(lambda: platform.pushes == 1)  # the first batch arrived; the province is slow
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    assert wait_for(lambda: len(platform.records) == 10, 10)  # the province stored it all the same
    assert states(province.destination) == {Delivery.SENDING: 10, Delivery.PENDING: 10}
    platform.controls.delay = 0.0
    with worker(env) as (client, _process):
        time.sleep(3)  # the dead worker's lease runs out
        client.send_task("xueshi_reporting.tasks.deliver", args=("fj-worker",), queue=QUEUE)
        assert wait_for(lambda: states(province.destination) == {Delivery.DELIVERED: 20})
    assert sorted(platform.records) == sorted(r.idempotency_key for r in rows)
    assert len(platform.arrivals) == 20
    assert sorted(platform.receipts.values()) == [1] * 10 + [2] * 10  # the killed batch came twice
    for seqs in held_in_order(platform).values():
        assert seqs == sorted(seqs) and len(seqs) == 5
    assert Exchange.objects.count() == 3  # the killed push, its re-send, the second batch
