"""Last-seen times: requests keep them in Redis, a beat task copies them to MariaDB (ADR 0523)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from tests.component.conftest import celery_worker
from tests.component.ledgerkit import ManualClock
from xueshi_access import devices, hotstate, lastseen
from xueshi_access.data import Client as SignInClient
from xueshi_access.models import SignInDevice
from xueshi_access.tasks import save_last_seen

DEVICE_API = "/xueshi/access/api/v1/device"
PC = SignInClient(ip="202.96.128.86", user_agent="Mozilla/5.0", kind="pc")


@pytest.fixture
def clock() -> Iterator[ManualClock]:
    manual = ManualClock()
    with override_settings(XUESHI_STUDYTIME_CLOCK=manual):
        yield manual


def _at(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, tz=UTC)


def _signed_in(learner: Any) -> tuple[Client, str]:
    client = Client(REMOTE_ADDR="202.96.128.86", HTTP_USER_AGENT="Mozilla/5.0 (Windows NT 10.0)")
    assert (
        client.post("/login/", {"username": learner.username, "password": "xueshi-demo-2026"}).status_code
        == 302
    )
    return client, client.get(DEVICE_API).json()["device_id"]


def test_a_request_queues_the_time_in_redis_and_writes_nothing_to_mariadb(
    demo_site: Any, clock: ManualClock
) -> None:
    from django.contrib.auth import get_user_model

    learner = get_user_model().objects.get(username="zhangsan")
    client, device = _signed_in(learner)
    signed_in_at = clock.now
    clock.advance(lastseen.DB_SEEN_EVERY + 1)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(DEVICE_API).json()["current"] is True
    writes = [q["sql"] for q in queries if "signindevice" in q["sql"].lower() and "UPDATE" in q["sql"]]
    assert writes == []
    assert SignInDevice.objects.get(pk=device).last_seen_at == _at(signed_in_at)
    assert lastseen.pending() == 1

    assert save_last_seen.apply().get() == 1
    assert SignInDevice.objects.get(pk=device).last_seen_at == _at(clock.now)
    assert lastseen.pending() == 0

    clock.advance(devices.SEEN_EVERY)  # seen again, but the durable copy is only five minutes due
    client.get(DEVICE_API)
    assert lastseen.pending() == 0
    assert float(hotstate.client().hget(hotstate.Keys(learner.id).device(device), "seen")) == clock.now


def test_a_device_seen_again_during_the_copy_stays_queued_with_its_newer_time(
    demo_site: Any, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.contrib.auth import get_user_model

    learner = get_user_model().objects.get(username="lisi")
    device = devices.begin(learner.id, "session", PC).device_id
    first = clock.now
    lastseen.mark(hotstate.client(), device, first)
    real_bulk_update = SignInDevice.objects.bulk_update

    def seen_meanwhile(rows: list[SignInDevice], fields: list[str]) -> int:
        lastseen.mark(hotstate.client(), device, first + 600)  # a request between read and forget
        return real_bulk_update(rows, fields)

    monkeypatch.setattr(SignInDevice.objects, "bulk_update", seen_meanwhile)
    assert lastseen.save() == 1
    monkeypatch.undo()
    assert SignInDevice.objects.get(pk=device).last_seen_at == _at(first)
    assert hotstate.client().zscore(lastseen.key(), device) == first + 600  # not forgotten

    assert lastseen.save() == 1
    assert SignInDevice.objects.get(pk=device).last_seen_at == _at(first + 600)
    assert lastseen.pending() == 0


def test_the_copy_works_in_batches_and_skips_rows_that_are_gone(demo_site: Any, clock: ManualClock) -> None:
    from django.contrib.auth import get_user_model

    users = list(get_user_model().objects.filter(username__in=["zhangsan", "lisi", "wangwu"]))
    ids = [devices.begin(user.id, "session", PC).device_id for user in users]
    for n, device in enumerate(ids):
        lastseen.mark(hotstate.client(), device, clock.now + n)
    SignInDevice.objects.filter(pk=ids[0]).delete()
    assert lastseen.save(batch=2) == 2
    assert lastseen.pending() == 0
    for n, device in enumerate(ids[1:], start=1):
        assert SignInDevice.objects.get(pk=device).last_seen_at == _at(clock.now + n)


def test_expiry_saves_queued_times_first_and_spares_a_device_redis_saw_recently(
    demo_site: Any, clock: ManualClock
) -> None:
    from django.contrib.auth import get_user_model

    idle = 3600
    zhangsan, lisi, wangwu = (
        get_user_model().objects.get(username=n) for n in ("zhangsan", "lisi", "wangwu")
    )
    queued, unsaved, gone = (devices.begin(u.id, "session", PC).device_id for u in (zhangsan, lisi, wangwu))
    clock.advance(2 * idle)
    # zhangsan was seen, and queued; lisi was seen, but the queue entry was lost (Redis failover).
    lastseen.mark(hotstate.client(), queued, clock.now)
    hotstate.client().hset(hotstate.Keys(lisi.id).device(unsaved), "seen", repr(clock.now))

    assert devices.expire_idle(idle) == 1
    live = set(SignInDevice.objects.filter(ended_at__isnull=True).values_list("id", flat=True))
    assert {str(x) for x in live} == {queued, unsaved}
    assert SignInDevice.objects.get(pk=gone).end_reason == "expired"
    assert SignInDevice.objects.get(pk=queued).last_seen_at == _at(clock.now)


def test_beat_runs_the_copy_every_minute() -> None:
    entry = settings.CELERYBEAT_SCHEDULE["xueshi-access-save-last-seen"]
    assert entry["task"] == "xueshi_access.tasks.save_last_seen"
    assert entry["schedule"].total_seconds() == 60


@pytest.fixture
def worker(transactional_db: Any) -> Iterator[Any]:
    db = settings.DATABASES["default"]
    url = f"mysql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    with celery_worker("access-last-seen-test", XUESHI_DB_URL=url) as client:
        yield client


def test_a_real_celery_worker_copies_the_queued_times(worker: Any, django_user_model: Any) -> None:
    learner = django_user_model.objects.create_user("学员-最近在线", password="pw")
    device = devices.begin(learner.id, "session", PC).device_id
    seen = time.time() + 120
    lastseen.mark(hotstate.client(), device, seen)
    worker.send_task("xueshi_access.tasks.save_last_seen", queue="access-last-seen-test")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and lastseen.pending():
        time.sleep(0.5)
    assert lastseen.pending() == 0
    assert SignInDevice.objects.get(pk=device).last_seen_at == _at(seen)
