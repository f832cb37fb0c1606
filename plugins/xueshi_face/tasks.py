"""Periodic jobs of face checks (run by Celery beat)."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.db.models import QuerySet
from django.utils import timezone

from . import conf
from .models import FaceCheck

PURGE_TASK = "xueshi_face.tasks.purge_check_images"


def purge_expired_images(batch: int = 500) -> int:
    """Delete the stored frames of checks older than the retention period; keep every other field.

    Works in batches so one run never holds long locks; returns how many frames were deleted.
    """
    cutoff = timezone.now() - timedelta(days=conf.image_retention_days())
    purged = 0
    while True:
        ids = list(
            FaceCheck.objects.filter(
                checked_at__lt=cutoff, image_purged_at__isnull=True, image__isnull=False
            ).values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return purged
        purged += forget_images(FaceCheck.objects.filter(pk__in=ids))


def forget_images(checks: QuerySet[FaceCheck]) -> int:
    """Delete the stored frames of ``checks`` (the one way a frame goes: retention and retirement)."""
    return checks.update(image=None, image_purged_at=timezone.now())


@shared_task(name=PURGE_TASK, ignore_result=True)
def purge_check_images() -> int:
    """Celery entry point of :func:`purge_expired_images`; also drops day-old liveness challenges."""
    from .liveness import purge_old

    purge_old()
    return purge_expired_images()
