"""Readable labels for the codes a playback session stores (client, why it ended).

``end_reason`` is an open set (the heartbeat, hold kinds and other packages' end reasons all land
there), so it gets a display mapping, not model ``choices``: choices would hide unknown codes from
the admin's filter. An unknown code is shown as stored.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

CLIENT_LABELS: dict[str, Promise] = {"web": _("Web page"), "app": _("Mobile app")}

END_REASON_LABELS: dict[str, Promise] = {
    "unload": _("Page closed"),
    "takeover": _("Replaced by playback elsewhere"),
    "signed_in_elsewhere": _("Signed in on another device"),
    "account_retired": _("Account closed"),
}


def client_label(code: str) -> str:
    """The label of a session's client code."""
    return str(CLIENT_LABELS.get(code, code))


def end_reason_label(code: str) -> str:
    """The label of a session's end reason ('' while the session is live)."""
    return str(END_REASON_LABELS.get(code, code))
