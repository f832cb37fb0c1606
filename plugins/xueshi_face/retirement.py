"""Erasing a learner's face data: at account retirement, and when they withdraw their consent.

Retirement deletes the enrolled photo and template, the official photo and every stored frame.
The check records stay for the regulators' retention (who was checked when, during which study,
with what result), without frames, IP address or user agent. Enrolment events keep who enrolled or
reset a photo and why, which names staff, not the learner. Connected to
``xueshi_core.retirement.ACCOUNT_RETIRING`` by ``plugin_app`` (ADR 0060); idempotent. A withdrawal
of the biometric consent (PIPL art. 15, 47; ADR 0085) erases the same images and keeps the rest.
"""

from __future__ import annotations

from typing import Any

from .models import FaceCheck, FaceEnrolment, OfficialPhoto
from .tasks import forget_images


def purge_past_retention(sender: Any, purge: Any, **kwargs: Any) -> None:
    """``RETENTION_DUE`` (ADR 0064): old frames, old check results, retirees' enrolment events.

    Frames go after their 30 days (as the hourly purge), check results after the retention
    period, enrolment events when their account was retired before the cut-off.
    """
    from datetime import timedelta

    from django.utils import timezone

    from . import conf
    from .models import FaceEnrolmentEvent

    frames_cutoff = timezone.now() - timedelta(days=conf.image_retention_days())
    stored = FaceCheck.objects.filter(
        checked_at__lt=frames_cutoff, image_purged_at__isnull=True, image__isnull=False
    )
    purge.update("face.check_frames", stored, image=None, image_purged_at=timezone.now())
    purge.delete("face.checks", FaceCheck.objects.filter(checked_at__lt=purge.cutoff))
    retired = FaceEnrolmentEvent.objects.filter(user_id__in=purge.retired_user_ids())
    purge.delete("face.enrolment_events", retired)


def erase_face_images(user_id: int) -> None:
    """Delete the learner's registered and official photos, template and stored check frames."""
    FaceEnrolment.objects.filter(user_id=user_id).delete()
    OfficialPhoto.objects.filter(user_id=user_id).delete()
    forget_images(FaceCheck.objects.filter(user_id=user_id, image_purged_at__isnull=True))


def retire_account(sender: Any, retiree: Any, **kwargs: Any) -> None:
    """Erase the learner's face images; keep the check results without frames, IP or device."""
    erase_face_images(retiree.user_id)
    FaceCheck.objects.filter(user_id=retiree.user_id).update(ip=None, user_agent="")
