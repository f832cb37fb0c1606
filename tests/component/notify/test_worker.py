"""A real Celery worker sends a notification once to the SMS sandbox, which checks the signature.

The task message is delivered twice (as a broker may after a lost ack): the second finds the row
already claimed and sends nothing. A rate-limited first try is re-queued by the worker with its
backoff and sent on the second.
"""

from __future__ import annotations

import json
import time

import pytest
from django.conf import settings

from tests.component.conftest import celery_worker
from xueshi_notify import api, tasks
from xueshi_notify.models import Delivery
from xueshi_notify.preferences import save_choices

QUEUE = "xueshi-notify-test"
PAID = {"name": "王学员", "order_no": "XO2026120400009", "amount": "120.00"}


@pytest.fixture(autouse=True)
def _keep_the_current_celery_app():
    """The worker's client app makes itself Celery's current app; later tests need the site's back."""
    from celery import current_app

    site_app = current_app._get_current_object()
    yield
    site_app.set_current()


def _wait(predicate, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.django_db(transaction=True)
def test_worker_sends_once_and_retries_with_backoff(learner, tencent_sms, monkeypatch) -> None:
    server, options = tencent_sms
    monkeypatch.setattr(tasks, "enqueue", lambda ids: None)  # the worker, not this process, sends
    save_choices(learner, {"payment_paid": ["sms"], "certificate_issued": ["sms"]})
    first = api.notify(learner, "payment_paid", PAID, dedupe_key="order_paid:worker").deliveries.get()
    cert = {"name": "王学员", "serial": "XC2026"}
    second = api.notify(learner, "certificate_issued", cert, dedupe_key="cert:worker").deliveries.get()
    db = settings.DATABASES["default"]
    env = {
        "XUESHI_DB_URL": f"mysql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "XUESHI_NOTIFY_SMS": json.dumps(options),
        "XUESHI_NOTIFY_RETRY_DELAYS": "[1, 1]",
    }

    def state(row: Delivery) -> str:
        return Delivery.objects.get(pk=row.pk).state

    with celery_worker(QUEUE, **env) as client:
        for _ in range(2):  # the same task message twice
            client.send_task(tasks.SEND_TASK, args=(first.pk,), queue=QUEUE)
        assert _wait(lambda: state(first) == "sent")
        server.inbox.fail_next("LimitExceeded.PhoneNumberThirtySecondLimit")
        client.send_task(tasks.SEND_TASK, args=(second.pk,), queue=QUEUE)
        assert _wait(lambda: state(second) == "sent")
        time.sleep(1.0)  # a stray second send would land now
    assert [m["template"] for m in server.inbox.messages] == ["2400001", "2400002"]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.attempts == 1 and first.provider_message_id == server.inbox.messages[0]["message_id"]
    assert second.attempts == 2 and second.provider_message_id == server.inbox.messages[1]["message_id"]
