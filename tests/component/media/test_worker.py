"""A real Celery worker transcodes; killed mid-job (SIGKILL, its ffmpeg with it), the broker hands the
job to the next worker, which resumes after the last finished step."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.test import Client

from xueshi_media import tasks
from xueshi_media.models import Asset

from ..conftest import celery_client, purge_queue, start_celery_worker
from .conftest import make_video, upload

pytestmark = [pytest.mark.component]
QUEUE = "media-transcode-test"


def start_worker(db_url: str) -> subprocess.Popen[bytes]:
    """A worker in a process group of its own, so the test can kill it and its ffmpeg at once."""
    return start_celery_worker(  # type: ignore[no-any-return]
        QUEUE, node=f"{QUEUE}-{time.time_ns()}", new_session=True, XUESHI_DB_URL=db_url
    )


@pytest.fixture
def broker(transactional_db: Any) -> Iterator[Any]:
    db = settings.DATABASES["default"]
    url = f"mysql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    workers: list[subprocess.Popen[bytes]] = []
    purge_queue(QUEUE)  # nothing an earlier run's killed worker left
    yield url, workers, celery_client(QUEUE)
    for process in workers:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=60)


def wait_for(condition: Any, seconds: float = 120) -> Asset:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        asset = Asset.objects.first()
        if asset is not None and condition(asset):
            return asset
        time.sleep(0.05)
    raise AssertionError(f"timed out: {Asset.objects.values().first()}")


def test_a_killed_worker_s_job_resumes_on_the_next_worker(
    broker: Any, seeded_demo: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_url, workers, client = broker
    # The upload's own enqueue would run the job at once in this process (tests run tasks eagerly,
    # and this test commits): note it instead, and hand the job to the real worker below.
    enqueued: list[Any] = []
    monkeypatch.setattr(tasks, "enqueue", enqueued.append)
    http = Client()
    assert http.login(username="operator", password=seeded_demo["password"])
    finished = upload(http, make_video(tmp_path / "long.mp4", seconds=12), chunk=512 * 1024)
    asset = Asset.objects.get(pk=finished.json()["id"])
    assert enqueued == [asset.pk] and asset.state == Asset.QUEUED
    try:
        workers.append(start_worker(db_url))
        client.send_task("xueshi_media.tasks.transcode", args=[asset.pk.hex], queue=QUEUE)
        first = wait_for(lambda a: "rendition:540p" in a.steps_done)
        os.killpg(workers[0].pid, signal.SIGKILL)  # mid-job: the 360p rendition is being made
        workers[0].wait(timeout=30)
        dead = Asset.objects.get(pk=asset.pk)
        assert dead.state == Asset.RUNNING and "master" not in dead.steps_done, dead.steps_done
        made_at = default_storage.get_modified_time(f"{first.folder}/540p/index.m3u8")
        workers.append(start_worker(db_url))
        done = wait_for(lambda a: a.state in (Asset.READY, Asset.FAILED), seconds=180)
        assert (done.state, done.error, done.progress, done.attempts) == (Asset.READY, "", 100, 2)
        assert done.steps_done[0] == "rendition:540p" and len(done.steps_done) == 6
        # The step finished before the kill was not made again.
        assert default_storage.get_modified_time(f"{done.folder}/540p/index.m3u8") == made_at
        assert default_storage.exists(f"{done.folder}/360p/index.m3u8")
    finally:
        shutil.rmtree(Path(settings.MEDIA_ROOT) / asset.folder, ignore_errors=True)
        default_storage.delete(asset.source_name)
