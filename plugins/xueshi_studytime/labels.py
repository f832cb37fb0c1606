"""Readable labels for the codes playback records store (client, why a session ended, refusals).

``end_reason`` is an open set (the heartbeat, hold kinds and other packages' end reasons all land
there), so it gets a display mapping, not model ``choices``: choices would hide unknown codes from
the admin's filter. An unknown code is shown as stored.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import crediting as c

CLIENT_LABELS: dict[str, Promise] = {"web": _("Web page"), "app": _("Mobile app")}

END_REASON_LABELS: dict[str, Promise] = {
    "unload": _("Page closed"),
    "takeover": _("Replaced by playback elsewhere"),
    "signed_in_elsewhere": _("Signed in on another device"),
    "account_retired": _("Account closed"),
    "unenrolled": _("Left the course"),
}


# Short labels of why a heartbeat earned nothing, for auditors (learners read messages.MESSAGES).
REFUSED_REASON_LABELS: dict[str, Promise] = {
    c.REPLAY: _("Repeated report"),
    c.LEASE_LOST: _("Playing elsewhere"),
    c.SESSION_ENDED: _("Session ended"),
    c.CHALLENGE_PENDING: _("Presence check unanswered"),
    c.CHECKPOINT_PENDING: _("Checkpoint question unanswered"),
    c.HOLD: _("Study on hold"),
    c.GAP: _("Connection gap"),
    c.SPEED: _("Speed not allowed"),
    c.HIDDEN: _("Video not visible"),
    c.PAUSED: _("Paused"),
    c.SEEK: _("Skipped ahead"),
}


def client_label(code: str) -> str:
    """The label of a session's client code."""
    return str(CLIENT_LABELS.get(code, code))


def end_reason_label(code: str) -> str:
    """The label of a session's end reason ('' while the session is live)."""
    return str(END_REASON_LABELS.get(code, code))


def refused_reason_label(code: str) -> str:
    """The label of why a heartbeat was refused."""
    return str(REFUSED_REASON_LABELS.get(code, code))
