"""A real Celery worker issues a request, and a worker stopped mid-issue loses and doubles nothing.

The worker (RabbitMQ broker, its own queue) sends the issue, finds the invoice still being made,
and re-queues itself; we stop it right then. The beat sweep (run here) finishes the same request:
one ``requestBillingNew`` at the provider, one invoice.
"""

from __future__ import annotations

import time

import pytest
from django.conf import settings

from tests.component.conftest import celery_worker
from xueshi_invoices import issuing, tasks
from xueshi_invoices.models import Invoice, InvoiceRequest

from .conftest import make_user, paid_order, settle, signed_in

QUEUE = "xueshi-invoices-test"


def _wait(predicate, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def _request(learner, buyer: str, paid_course: str) -> InvoiceRequest:
    order = paid_order(learner, paid_course)
    form = {"order_no": order.order_no, "title_kind": "person", "buyer_name": buyer}
    assert signed_in(learner).post("/xueshi/invoices/mine/request/", form).status_code == 302
    row = InvoiceRequest.objects.get(orders__order_no=order.order_no)
    issuing.retry(row.pk)  # approved: queued, not yet sent
    return row


def _state(row: InvoiceRequest) -> str:
    return InvoiceRequest.objects.get(pk=row.pk).state


@pytest.mark.django_db(transaction=True)
def test_worker_issues_and_a_stopped_worker_loses_nothing(nuonuo, seller, paid_course) -> None:
    seller.auto_issue_personal = False
    seller.save()
    first = _request(make_user("inv_worker"), "孙学员", paid_course)
    second = _request(make_user("inv_worker2"), "李学员", paid_course)
    db = settings.DATABASES["default"]
    env = {
        "XUESHI_DB_URL": f"mysql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "XUESHI_INVOICES_NUONUO_URL": settings.XUESHI_INVOICES_NUONUO_URL,
        "XUESHI_INVOICES_NUONUO_APP_KEY": settings.XUESHI_INVOICES_NUONUO_APP_KEY,
        "XUESHI_INVOICES_NUONUO_APP_SECRET": settings.XUESHI_INVOICES_NUONUO_APP_SECRET,
    }
    nuonuo.platform.controls.delay = 1.0  # still issuing at the first query: the worker comes back
    with celery_worker(QUEUE, **env) as client:
        client.send_task("xueshi_invoices.tasks.issue_request", args=(first.pk,), queue=QUEUE)
        assert _wait(lambda: _state(first) == InvoiceRequest.ISSUED)
        nuonuo.platform.controls.delay = 30.0  # the bureau is slow; the worker stops meanwhile
        client.send_task("xueshi_invoices.tasks.issue_request", args=(second.pk,), queue=QUEUE)
        assert _wait(lambda: _state(second) == InvoiceRequest.SUBMITTED)
    assert Invoice.objects.count() == 1, list(Invoice.objects.values("request_id", "serial", "issued_at"))
    # The worker is gone with its re-queued step; the provider finishes; the sweep picks the row up.
    nuonuo.platform._finish(second.serial)

    def sweep_once() -> str:
        tasks.sweep()
        return _state(second)

    assert settle(sweep_once, {"issued", "failed"}, seconds=30) == "issued"
    assert Invoice.objects.count() == 2
    sent = [c for c in nuonuo.platform.calls if c.method.endswith("requestBillingNew")]
    assert len(sent) == 2 and len(nuonuo.platform.invoices) == 2
