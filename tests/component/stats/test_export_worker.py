"""A large export is written by a real Celery worker; the job page shows its progress until done."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse

from xueshi_stats import tasks
from xueshi_stats.models import ExportJob

from ..conftest import celery_worker

pytestmark = [pytest.mark.component]
QUEUE = "stats-export-test"


@pytest.fixture
def worker(transactional_db: Any) -> Any:
    db = settings.DATABASES["default"]
    url = f"mysql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    with celery_worker(QUEUE, XUESHI_DB_URL=url) as client:
        yield client


def test_a_queued_export_is_written_by_a_celery_worker(
    worker: Any, gulou_county: dict[str, Any], settings: Any, monkeypatch: Any
) -> None:
    settings.XUESHI_STATS_EXPORT_INLINE_ROWS = 0
    sent: list[int] = []

    def send(job_id: int) -> None:  # the broker message a deployed web process sends (not eager here)
        sent.append(job_id)
        worker.send_task("xueshi_stats.tasks.export", args=[job_id], queue=QUEUE)

    monkeypatch.setattr(tasks.export, "delay", send)
    client = gulou_county["client"]
    form = {"source": "figure", "figure": "enrolled", "format": "csv", "period": "year", "date": "2026-06-01"}
    asked = client.post(reverse("xueshi_stats:export-start"), form, HTTP_ACCEPT="application/json")
    assert asked.status_code == 201 and asked.json()["job"]["state"] == "queued" and len(sent) == 1
    token = asked.json()["job"]["token"]
    page = client.get(reverse("xueshi_stats:export", args=[token])).content.decode()
    assert '<meta http-equiv="refresh"' in page and 'id="stats-export-progress"' in page
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and ExportJob.objects.get(token=token).state in ("queued", "running"):
        time.sleep(0.3)
    job = ExportJob.objects.get(token=token)
    assert (job.state, job.written, job.total) == ("done", 1, 1), job.error
    content = b"".join(client.get(reverse("xueshi_stats:export-file", args=[token])).streaming_content)
    assert content.decode("utf-8-sig").splitlines()[1].startswith(f"{gulou_county['here'].id},")
    default_storage.delete(job.file_name)
