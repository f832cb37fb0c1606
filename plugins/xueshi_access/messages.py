"""What an ended, refused or throttled client is told, with a stable code for programs.

Web pages show the text in the learner's language (zh_CN or English); API clients get the code
(``error_code``) to branch on and the same text (``message``) to show.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .data import EXPIRED, REFUSED, REPLACED, SIGNED_OUT

CODES = {
    REPLACED: "session_replaced",
    EXPIRED: "session_expired",
    SIGNED_OUT: "signed_out",
    REFUSED: "signed_in_elsewhere",
}


def code_for(reason: str) -> str:
    """The API error code of an end reason."""
    return CODES.get(reason, "session_ended")


def ended_message(reason: str) -> str:
    """Why this device was signed out."""
    if reason == EXPIRED:
        return _("Your sign-in on this device expired. Please sign in again.")
    if reason == SIGNED_OUT:
        return _("You signed out on this device. Please sign in again.")
    return _(
        "Your account was signed in on another device, so you were signed out here. "
        "One account may be signed in on only one device at a time."
    )


def refused_message(active_minutes: int) -> str:
    """Why a new sign-in was refused under the ``refuse`` policy."""
    return _(
        "This account is signed in on another device. Sign out there first, or sign in again after "
        "it has been idle for {minutes} minutes."
    ).format(minutes=active_minutes)


def locked_message(scope: str, minutes: int) -> str:
    """Why a sign-in attempt was blocked by throttling."""
    if scope == "ip":
        return _("Too many failed sign-ins from your network. Try again in {minutes} minutes.").format(
            minutes=minutes
        )
    return _("Too many failed sign-ins for this account. Try again in {minutes} minutes.").format(
        minutes=minutes
    )
