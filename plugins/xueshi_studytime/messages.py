"""Learner-facing messages for heartbeat outcomes, translated by the request's language."""

from __future__ import annotations

from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from . import crediting as c
from .values import OFF_AIR

# Lazy, so a beat translates only the one message it returns (not all of them, every beat).
MESSAGES = {
    c.REPLAY: _("This progress report was already received."),
    c.LEASE_LOST: _(
        "This account started playing a video in another window or device. "
        "Study time is now counted there only."
    ),
    c.SESSION_ENDED: _("This playback session has ended. Reload the page to continue."),
    c.CHALLENGE_PENDING: _("Please confirm you are still studying to continue earning study time."),
    c.CHECKPOINT_PENDING: _("Answer the question to continue earning study time."),
    c.HOLD: _("A check is due before study time can be counted again. Complete it to continue."),
    c.GAP: _(
        "The connection was interrupted, so the last stretch was not counted. Please continue from here."
    ),
    c.SPEED: _("Only the allowed playback speed earns study time."),
    c.HIDDEN: _("Study time is not counted while the video is not visible."),
    c.PAUSED: _("Study time is not counted while the video is paused."),
    c.SEEK: _("You can only skip to parts you have already watched."),
    c.NO_MEDIA: _("The video has not been loaded by this browser, so no study time can be counted."),
    c.NOT_DELIVERED: _(
        "This part of the video has not been loaded by this browser yet, so it cannot be counted."
    ),
    OFF_AIR: _("The live lesson is not on air right now, so no study time is counted."),
}


def reason_message(reason: str | None) -> str:
    """A short explanation the player can show; empty when the beat was accepted."""
    return str(MESSAGES.get(reason, "")) if reason else ""


def challenge_prompt() -> str:
    """The anti-idle question."""
    return gettext_now("Are you still there? Type the digits shown in the picture to continue studying.")
