"""Sentences shown to learners and staff, by stable code (translated; zh_CN is committed)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .data import CENTRE, LEFT, LIVE, PASSED, RIGHT, Decision

POSE_INSTRUCTIONS = {
    LEFT: gettext_lazy("Turn your head to your left."),
    CENTRE: gettext_lazy("Look straight at the camera."),
    RIGHT: gettext_lazy("Turn your head to your right."),
}

REFUSALS = {
    "empty": gettext_lazy("The image is empty."),
    "too_large": gettext_lazy("The image is too large."),
    "format": gettext_lazy("Only JPEG, PNG or WebP images are accepted."),
    "dimensions": gettext_lazy("The image is too large or too small in pixels."),
    "not_image": gettext_lazy("The file is not a readable image."),
    "no_face": gettext_lazy("No face was found in the photo."),
    "several_faces": gettext_lazy("The photo shows more than one face. Use a photo of you alone."),
    "engine": gettext_lazy("The face service could not read the photo. Please try again later."),
    "no_frame": gettext_lazy("No camera frame was received."),
    "too_many_frames": gettext_lazy("Too many camera frames were sent."),
    "challenge_required": gettext_lazy("Start the check again: no challenge was sent."),
    "challenge_unknown": gettext_lazy("This check was not started here. Start it again."),
    "challenge_used": gettext_lazy("These frames were sent already. Start the check again."),
    "challenge_expired": gettext_lazy("The check took too long. Start it again."),
    "challenge_too_fast": gettext_lazy("The frames came too fast to be filmed. Start the check again."),
    "enrolment_pending": gettext_lazy(
        "Your registered photo is waiting for staff approval. Study time stays paused until it is approved."
    ),
    "enrolment_rejected": gettext_lazy(
        "Your registered photo was not accepted. Please register another one."
    ),
}

#: Enrolment or check without a standing consent to processing face data (PIPL art. 29).
CONSENT_REQUIRED = gettext_lazy(
    "Your face data is processed only with your consent. Read the notice and tick the box on the "
    "photo registration page; until then, study time in courses with face checks stays paused."
)


def refusal(code: str, fallback: str) -> str:
    """The translated sentence for a refusal code (the English fallback for unknown codes)."""
    message = REFUSALS.get(code)
    return str(message) if message is not None else fallback


def decision_message(decision: Decision) -> str:
    """What the learner reads after a check."""
    if decision.decision == PASSED:
        return _("Face check passed. You can go on studying.")
    if decision.reason == "enrolment_pending":
        return str(REFUSALS["enrolment_pending"])
    if decision.reason == "no_face":
        return _("No face was found. Face the camera in good light and try again.")
    if decision.reason == "liveness" or (decision.matched and decision.liveness != LIVE):
        return _("Please follow the head movements shown while the check runs, then try again.")
    if decision.reason.startswith("engine"):
        return _("The face service is unavailable. Please try again in a moment.")
    return _("The face does not match your registered photo. Study time is paused until a check passes.")
