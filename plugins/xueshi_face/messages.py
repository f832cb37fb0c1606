"""Sentences shown to learners and staff, by stable code (translated; zh_CN is committed)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .data import LIVE, PASSED, Decision

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
}


def refusal(code: str, fallback: str) -> str:
    """The translated sentence for a refusal code (the English fallback for unknown codes)."""
    message = REFUSALS.get(code)
    return str(message) if message is not None else fallback


def decision_message(decision: Decision) -> str:
    """What the learner reads after a check."""
    if decision.decision == PASSED:
        return _("Face check passed. You can go on studying.")
    if decision.reason == "no_face":
        return _("No face was found. Face the camera in good light and try again.")
    if decision.reason == "liveness" or (decision.matched and decision.liveness != LIVE):
        return _("Please turn your head slowly while the check runs, then try again.")
    if decision.reason.startswith("engine"):
        return _("The face service is unavailable. Please try again in a moment.")
    return _("The face does not match your registered photo. Study time is paused until a check passes.")
