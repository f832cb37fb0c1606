"""Thin signal receivers; the rules are in :mod:`xueshi_face.scheduling`."""

from __future__ import annotations

from typing import Any

from .middleware import SESSION_FLAG
from .scheduling import on_playback_opened, require_signin_check


def playback_opened(sender: Any = None, **kwargs: Any) -> None:
    """A playback session opened: maybe draw a random face check."""
    on_playback_opened(sender, **kwargs)


def signed_in(sender: Any, request: Any, user: Any, **_: Any) -> None:
    """A learner signed in: require a face check before study when the setting says so."""
    if require_signin_check(user) and request is not None and hasattr(request, "session"):
        request.session[SESSION_FLAG] = True
