"""Celery tasks: the transcoding job, and the sweep that resumes a job whose worker died.

``acks_late`` with ``reject_on_worker_lost``: a worker killed mid-job leaves its message
unacknowledged, the broker hands it to another worker, and the job resumes at the first step not
done (``transcode.run``). The sweep catches the rest (a job queued while the broker was down).
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.utils import timezone

from . import conf, transcode
from .models import Asset

log = logging.getLogger(__name__)
SWEEP_TASK = "xueshi_media.tasks.sweep"
STALE_AFTER = transcode.STALE_AFTER


@shared_task(bind=True, name="xueshi_media.tasks.transcode", acks_late=True, reject_on_worker_lost=True)
def transcode_asset(self: Any, asset_id: str) -> str:
    """Run or resume one asset's job."""
    return transcode.run(asset_id, runner=str(self.request.id or ""))


def enqueue(asset_id: Any) -> None:
    """Queue an asset's job on the transcoding queue; if the broker is down, the sweep starts it."""
    try:
        transcode_asset.apply_async(args=(str(asset_id),), queue=conf.task_queue())
    except Exception:  # broker down or an eager failure: the asset stays queued for the sweep
        log.exception("could not queue transcoding of asset %s; the sweep will", asset_id)


@shared_task(name=SWEEP_TASK)
def sweep(limit: int = 20) -> int:
    """Queue again jobs queued long ago or running without progress (a lost message, a dead worker)."""
    stale = timezone.now() - STALE_AFTER
    ids = list(
        Asset.objects.filter(state__in=(Asset.QUEUED, Asset.RUNNING), modified__lt=stale).values_list(
            "pk", flat=True
        )[:limit]
    )
    for asset_id in ids:
        Asset.objects.filter(pk=asset_id).update(modified=timezone.now())
        enqueue(asset_id)
    return len(ids)
