"""Running one face check.

Compare the camera frame with the registered photo (only once staff approved it or it matched the
official photo), judge liveness against the server's pose challenge, decide, keep the record, and
release the ledger hold only on a pass.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey, UsageKey

from xueshi_core.clientip import request_ip
from xueshi_studytime import api as ledger

from . import conf, consent, enrolment
from .data import (
    CENTRE,
    ERROR,
    FAILED,
    PASSED,
    SKIPPED,
    STUDY,
    CheckContext,
    Decision,
    Liveness,
    decide,
)
from .data import NOT_LIVE as LIVENESS_FAILED
from .engines import EngineError, FaceEngine, NoFace, get_engine
from .engines.local import LocalEngine
from .images import ImageRejected, check_image
from .models import FaceCheck
from .scheduling import schedule_or_hold

log = logging.getLogger(__name__)


class NotEnrolled(Exception):
    """The learner has no registered photo to compare with."""


class EnrolmentPending(Exception):
    """The registered photo awaits approval (and ``XUESHI_FACE_PENDING_ENROLMENT`` is ``hold``)."""


class EnrolmentRejected(Exception):
    """Staff rejected the registered photo; the learner must register another one."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class CheckResult:
    """What the page is told, and the stored record."""

    record: FaceCheck
    decision: Decision
    hold_released: bool


def _score(engine: FaceEngine, row: Any, frame: bytes) -> tuple[float | None, str]:
    try:
        template = enrolment.template(row) if isinstance(engine, LocalEngine) else b""
        if template:
            return engine.compare_template(template, frame).score, ""
        return engine.compare(enrolment.photo(row), frame).score, ""
    except NoFace:
        return None, "no_face"


def _liveness(engine: FaceEngine, frames: Sequence[bytes], poses: Sequence[str]) -> Liveness:
    if conf.liveness_mode() == conf.LIVENESS_OFF:
        return Liveness(SKIPPED, None, "liveness off")
    if not poses:
        return Liveness(LIVENESS_FAILED, None, "no challenge: recorded frames could be replayed")
    if len(frames) < 2:
        return Liveness(LIVENESS_FAILED, None, "one frame cannot show a head turn")
    return engine.liveness(frames, conf.min_head_turn(), poses)


def _probe_index(poses: Sequence[str], count: int) -> int:
    """The frame compared with the photo: the first frontal pose when the challenge has one."""
    return next((i for i, pose in enumerate(poses) if pose == CENTRE and i < count), 0)


def _trusted_enrolment(user: Any) -> Any:
    consent.require(user)  # withdrawn: the photo is gone, and the check holds study
    row = enrolment.enrolled(user.id)
    if row is None:
        raise NotEnrolled
    if row.status == row.REJECTED:
        raise EnrolmentRejected(row.review_reason)
    if not row.trusted and conf.pending_enrolment() == conf.PENDING_HOLD:
        raise EnrolmentPending
    return row


def _key(parse: Any, value: str) -> Any:
    try:
        return parse(value) if value else None
    except InvalidKeyError:
        return None


def run_check(
    user: Any,
    frames: Sequence[bytes],
    context: CheckContext,
    request: Any = None,
    poses: Sequence[str] = (),
) -> CheckResult:
    """Check the learner's frames (one per pose of the spent challenge) and record the outcome.

    Raises:
        ImageRejected: a frame is not an acceptable image (nothing is recorded: it was not a check).
        ConsentMissing: the learner has not consented to face processing, or withdrew it.
        NotEnrolled: the learner has no registered photo.
        EnrolmentPending: the photo awaits approval and pending enrolments hold (the default).
        EnrolmentRejected: staff rejected the photo.
    """
    if not frames:
        raise ImageRejected("no_frame", "Send at least one camera frame.")
    if len(frames) > conf.max_frames():
        raise ImageRejected("too_many_frames", f"Send at most {conf.max_frames()} frames.")
    checked = [check_image(frame) for frame in frames]
    row = _trusted_enrolment(user)
    probe = checked[_probe_index(poses, len(checked))]
    engine = get_engine()
    threshold = conf.threshold(engine.name, engine.default_threshold)
    try:
        score, reason = _score(engine, row, probe.data)
        liveness = _liveness(engine, [c.data for c in checked], poses)
        decision = decide(score, threshold, liveness.result, liveness_required=conf.liveness_mode() != "off")
        if reason:
            decision = Decision(decision.decision, False, None, threshold, liveness.result, reason)
        if not row.trusted:  # recorded as evidence; an unapproved photo proves nothing
            decision = Decision(
                FAILED, decision.matched, decision.score, threshold, liveness.result, "enrolment_pending"
            )
    except EngineError as exc:  # the service failed: recorded as an error; the hold stays
        log.warning("face engine %s failed: %s %s", engine.name, exc.code, exc)
        liveness = Liveness(SKIPPED, None, "engine error")
        decision = Decision(ERROR, False, None, threshold, SKIPPED, f"engine:{exc.code}"[:64])
    meta = getattr(request, "META", {}) if request is not None else {}
    record = FaceCheck.objects.create(
        user=user,
        checked_at=timezone.now(),
        context=context.kind,
        course_key=_key(CourseKey.from_string, context.course_key),
        usage_key=_key(UsageKey.from_string, context.usage_key),
        engine=engine.name,
        score=decision.score,
        threshold=threshold,
        decision=decision.decision,
        reason=decision.reason,
        liveness=liveness.result,
        liveness_measure=liveness.measure,
        frames=len(checked),
        image_digest=probe.digest,
        enrolment_digest=row.image_digest,
        image=probe.data,
        ip=request_ip(request) if request is not None else None,
        user_agent=str(meta.get("HTTP_USER_AGENT", ""))[:255],
    )
    released = False
    if decision.decision == PASSED and context.hold_kind:
        released = ledger.release_hold(user.id, context.hold_kind, reason=f"face check {record.pk} passed")
        FaceCheck.objects.filter(pk=record.pk).update(hold_released=released)
        if context.kind == STUDY:
            schedule_or_hold(user.id, context.course_key, context.usage_key)
    return CheckResult(record, decision, released)


def frame(record: FaceCheck) -> bytes:
    """Decrypt a check's stored frame (callers showing it to a person record the view first)."""
    if record.image is None:
        raise LookupError("the frame was purged after the retention period")
    return record.image.reveal()
