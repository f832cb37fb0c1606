"""Receivers: facts of other apps that change a learner's hours become ``HOURS_CHANGED`` (ADR 0112)."""

from __future__ import annotations

from typing import Any

from .signals import HOURS_CHANGED


def changed(user_id: int) -> None:
    """Announce that the learner's hours of the current period may have changed."""
    from . import accounts

    HOURS_CHANGED.send(sender=None, user_id=int(user_id), period_year=accounts.today().year)


def coverage_completed(sender: Any, user_id: int, **kwargs: Any) -> None:
    """A video block reached its coverage: a course may be completed now."""
    changed(user_id)
