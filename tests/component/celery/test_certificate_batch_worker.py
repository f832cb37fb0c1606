"""A real Celery worker runs a year's certificate batch over real hour accounts, and a re-run adds none.

The test process writes study records and a rule (MariaDB); a worker process (RabbitMQ broker) runs
``xueshi_certificates.tasks.issue_year`` by name on its own queue against the same test database.
"""

import time

import pytest
from django.conf import settings

from tests.component.certificates.certkit import PRO, PUB, courses, small_rule, studied
from tests.component.conftest import celery_worker
from xueshi_certificates.models import Certificate, IssueBatch
from xueshi_certificates.verification import verify_token
from xueshi_hours import rulestore

QUEUE = "xueshi-certbatch-test"


@pytest.fixture
def worker(transactional_db):
    db = settings.DATABASES["default"]
    url = f"mysql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    with celery_worker(QUEUE, XUESHI_DB_URL=url) as client:
        yield client


def _finished(batch_id: int, timeout: float = 90.0) -> IssueBatch:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        batch = IssueBatch.objects.get(pk=batch_id)
        if batch.state in (IssueBatch.DONE, IssueBatch.FAILED):
            return batch
        time.sleep(0.5)
    raise AssertionError("the worker did not finish the batch")


def test_worker_issues_the_met_learners_once(worker):
    rulestore.load_shipped()
    small_rule()
    courses()
    met = [studied(f"batch-met{n}", PRO, PUB) for n in range(2)]
    studied("batch-half", PRO)
    counts = []
    for _ in range(2):
        batch = IssueBatch.objects.create(period_year=2026)
        worker.send_task("xueshi_certificates.tasks.issue_year", args=[batch.pk], queue=QUEUE)
        done = _finished(batch.pk)
        counts.append((done.state, done.total, done.issued, done.existing, done.failed))
    assert counts == [("done", 2, 2, 0, 0), ("done", 2, 0, 2, 0)]
    certs = list(Certificate.objects.order_by("user_id"))
    assert [c.user_id for c in certs] == sorted(u.pk for u in met)
    assert all(verify_token(c.credential).ok for c in certs)  # signed by the worker with the site's key
