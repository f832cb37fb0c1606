"""Retirement step of face checks: delete the enrolled photo and template, and every stored frame.

The check records stay for the regulators' retention (who was checked when, during which study,
with what result), without frames, IP address or user agent. Enrolment events keep who enrolled or
reset a photo and why, which names staff, not the learner. Connected to
``xueshi_core.retirement.ACCOUNT_RETIRING`` by ``plugin_app`` (ADR 0060); idempotent.
"""

from __future__ import annotations

from typing import Any

from .models import FaceCheck, FaceEnrolment
from .tasks import forget_images


def retire_account(sender: Any, retiree: Any, **kwargs: Any) -> None:
    """Erase the learner's face images; keep the check results without frames, IP or device."""
    FaceEnrolment.objects.filter(user_id=retiree.user_id).delete()
    checks = FaceCheck.objects.filter(user_id=retiree.user_id)
    forget_images(checks.filter(image_purged_at__isnull=True))
    checks.update(ip=None, user_agent="")
