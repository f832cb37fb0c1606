"""Who vouches for a registered photo: a staff review, or a match with an official photo.

A learner can upload anyone's photo; until it is approved (by an account whose roles grant
``MANAGE_FACE`` over that learner, ADR 0010) or matched (against an official photo an operator
imported), the enrolment is ``pending`` and no check passes against it (ADR 0546). Every decision
is kept as a :class:`FaceEnrolmentEvent` with who, when and why.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from xueshi_core.api import MANAGE_FACE, may_see_learner

from . import conf
from .engines import EngineError, get_engine
from .images import ImageRejected, check_image
from .models import FaceEnrolment, FaceEnrolmentEvent, OfficialPhoto

log = logging.getLogger(__name__)


class NotPending(Exception):
    """The enrolment was already decided (or is gone): a second decision would overwrite the first."""


def may_vouch_for(actor: Any, user_id: int) -> bool:
    """Whether ``actor`` may approve, reject or import an official photo for this learner.

    The one permission model decides (``MANAGE_FACE`` and the learner in the actor's scope), so
    Django's ``is_staff``/``is_superuser`` flags alone vouch for nobody (separation of duties).
    """
    return may_see_learner(actor, MANAGE_FACE, user_id)


def _decide(
    user_id: int, status: str, *, actor: Any, reason: str, score: float | None = None
) -> FaceEnrolment:
    action = {
        FaceEnrolment.APPROVED: FaceEnrolmentEvent.APPROVED,
        FaceEnrolment.REJECTED: FaceEnrolmentEvent.REJECTED,
        FaceEnrolment.MATCHED: FaceEnrolmentEvent.MATCHED,
    }[status]
    now = timezone.now()
    with transaction.atomic():
        row = FaceEnrolment.objects.select_for_update().filter(user_id=user_id).first()
        if row is None or row.status != FaceEnrolment.PENDING:
            raise NotPending
        row.status, row.reviewed_by, row.reviewed_at = status, actor, now
        row.review_reason, row.match_score = reason.strip()[:255], score
        row.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_reason", "match_score"])
        FaceEnrolmentEvent.objects.create(
            user_id=user_id,
            actor=actor,
            action=action,
            image_digest=row.image_digest,
            reason=row.review_reason,
            at=now,
        )
    return row


def approve(user_id: int, *, actor: Any, reason: str = "") -> FaceEnrolment:
    """A reviewer confirms the photo shows the learner.

    Raises:
        PermissionError: ``actor`` may not review photos.
        NotPending: nothing pending to approve.
    """
    if not may_vouch_for(actor, user_id):
        raise PermissionError("reviewing face photos needs manage_face over this learner")
    return _decide(user_id, FaceEnrolment.APPROVED, actor=actor, reason=reason)


def reject(user_id: int, *, actor: Any, reason: str) -> FaceEnrolment:
    """A reviewer refuses the photo; the learner may register another one (the reason is shown).

    Raises:
        ValueError: no reason (the learner and an auditor must see why).
        PermissionError: ``actor`` may not review photos.
        NotPending: nothing pending to reject.
    """
    if not (reason or "").strip():
        raise ValueError("a rejection needs a reason")
    if not may_vouch_for(actor, user_id):
        raise PermissionError("reviewing face photos needs manage_face over this learner")
    return _decide(user_id, FaceEnrolment.REJECTED, actor=actor, reason=reason)


def match_with_official(user_id: int) -> FaceEnrolment | None:
    """Compare a pending enrolment with the learner's official photo; mark it matched when it passes.

    A mismatch leaves it pending for a staff review (a bad official scan must not lock a learner
    out) and is recorded with its score. Returns the matched row, else ``None``.
    """
    official = OfficialPhoto.objects.filter(user_id=user_id).first()
    row = FaceEnrolment.objects.filter(user_id=user_id, status=FaceEnrolment.PENDING).first()
    if official is None or row is None:
        return None
    engine = get_engine()
    try:
        score = engine.compare(official.image.reveal(), row.image.reveal()).score
    except EngineError as exc:  # no face in one of them, or the service is down: staff decide
        log.warning("official photo match of user %s failed: %s", user_id, exc)
        return None
    threshold = conf.threshold(engine.name, engine.default_threshold)
    if score < threshold:
        FaceEnrolmentEvent.objects.create(
            user_id=user_id,
            action=FaceEnrolmentEvent.UNMATCHED,
            image_digest=row.image_digest,
            reason=f"official photo {engine.name} score {score:g} < {threshold:g}",
            at=timezone.now(),
        )
        return None
    reason = f"official photo {engine.name} score {score:g} >= {threshold:g}"
    try:
        return _decide(user_id, FaceEnrolment.MATCHED, actor=None, reason=reason, score=score)
    except NotPending:  # a reviewer decided meanwhile
        return None


def import_official(user: Any, data: bytes, *, actor: Any, source: str = "") -> OfficialPhoto:
    """Store (or replace) the learner's official photo, encrypted, then try to match their enrolment.

    Raises:
        PermissionError: ``actor`` may not manage this learner's face data (``MANAGE_FACE``, scope).
        ImageRejected: not an acceptable image, or not exactly one face in it.
    """
    if not may_vouch_for(actor, user.id):
        raise PermissionError("importing official photos needs manage_face over this learner")
    checked = check_image(data)
    try:
        faces = get_engine().detect(checked.data)
    except EngineError as exc:
        raise ImageRejected("engine", f"The face engine could not read the photo ({exc.code}).", 502) from exc
    if len(faces) != 1:
        raise ImageRejected("no_face" if not faces else "several_faces", "Not exactly one face.", 422)
    now = timezone.now()
    with transaction.atomic():
        official, _ = OfficialPhoto.objects.update_or_create(
            user_id=user.id,
            defaults={
                "image": checked.data,
                "image_digest": checked.digest,
                "source": source[:64],
                "imported_by": actor,
                "imported_at": now,
            },
        )
        FaceEnrolmentEvent.objects.create(
            user_id=user.id,
            actor=actor,
            action=FaceEnrolmentEvent.OFFICIAL_IMPORTED,
            image_digest=checked.digest,
            reason=source[:255],
            at=now,
        )
    match_with_official(user.id)
    return official
