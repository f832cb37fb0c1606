"""The learner's registered photo.

Checked to hold exactly one face, stored encrypted with its digest and (for the local engine) its
encrypted face descriptor; reset only by staff, with a reason. A new photo is pending until staff
approve it or it matches the official photo (:mod:`xueshi_face.approval`); a rejected one may be
replaced by the learner.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import approval, consent
from .engines import EngineError, get_engine
from .images import CheckedImage, ImageRejected, check_image
from .models import FaceEnrolment, FaceEnrolmentEvent


class AlreadyEnrolled(Exception):
    """The learner already has a registered photo (pending or trusted); staff must reset it first."""


def enrolled(user_id: int) -> FaceEnrolment | None:
    """The learner's enrolment row, or ``None``."""
    return FaceEnrolment.objects.filter(user_id=user_id).first()


def _template(image: bytes) -> bytes:
    """The local engine's descriptor (float64 bytes); the model field encrypts it on save."""
    from .engines.local import LocalEngine

    engine = get_engine("xueshi_face.engines.local.LocalEngine")
    assert isinstance(engine, LocalEngine)
    return bytes(engine.descriptor(image).tobytes())


def enrol(user: Any, data: bytes, *, source: str = "upload", actor: Any = None) -> FaceEnrolment:
    """Check and store the learner's photo.

    Raises:
        ConsentMissing: the learner has not consented to processing their face (PIPL art. 29).
        ImageRejected: not an acceptable image, or not exactly one face in it.
        AlreadyEnrolled: the learner has a photo already.
    """
    consent.require(user)
    checked: CheckedImage = check_image(data)
    previous = enrolled(user.id)
    if previous is not None and previous.status != FaceEnrolment.REJECTED:
        raise AlreadyEnrolled
    try:
        faces = get_engine().detect(checked.data)
    except EngineError as exc:
        raise ImageRejected("engine", f"The face engine could not read the photo ({exc.code}).", 502) from exc
    if len(faces) != 1:
        code = "no_face" if not faces else "several_faces"
        message = "No face was found in the photo." if not faces else "The photo shows more than one face."
        raise ImageRejected(code, message, 422)
    now = timezone.now()
    try:
        with transaction.atomic():
            if previous is not None:  # replacing a rejected photo: its events stay
                FaceEnrolment.objects.filter(pk=previous.pk, status=FaceEnrolment.REJECTED).delete()
            row = FaceEnrolment.objects.create(
                user=user,
                image=checked.data,
                template=_template(checked.data),
                image_digest=checked.digest,
                source=source[:16],
                enrolled_at=now,
            )
            FaceEnrolmentEvent.objects.create(
                user=user,
                actor=actor or user,
                action=FaceEnrolmentEvent.ENROLLED,
                image_digest=checked.digest,
                at=now,
            )
    except IntegrityError as exc:  # two enrolments raced: the first one stands
        raise AlreadyEnrolled from exc
    return approval.match_with_official(user.id) or row


def reset(user_id: int, *, actor: Any, reason: str) -> bool:
    """Delete the learner's photo so they can enrol again; the event (who, why) is kept.

    Raises:
        ValueError: no reason given (an auditor must see why).
    """
    if not (reason or "").strip():
        raise ValueError("a reset needs a reason")
    with transaction.atomic():
        row = FaceEnrolment.objects.select_for_update().filter(user_id=user_id).first()
        if row is None:
            return False
        FaceEnrolmentEvent.objects.create(
            user_id=user_id,
            actor=actor,
            action=FaceEnrolmentEvent.RESET,
            image_digest=row.image_digest,
            reason=reason.strip()[:255],
            at=timezone.now(),
        )
        row.delete()
    return True


def photo(row: FaceEnrolment) -> bytes:
    """Decrypt the registered photo (callers showing it to a person record the view first)."""
    return row.image.reveal()


def template(row: FaceEnrolment) -> bytes:
    """Decrypt the stored face descriptor (``b""`` when none was stored)."""
    return row.template.reveal() if row.template is not None else b""
