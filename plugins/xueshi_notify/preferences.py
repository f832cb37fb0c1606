"""Learners' choices: which channels carry which kind (no row means the kind's defaults)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .kinds import CHANNELS, KINDS
from .models import Preference


class BadChoice(ValueError):
    """An unknown kind or channel in a learner's choices."""


def channels_for(user_id: int, kind: str) -> tuple[str, ...]:
    """The channels the learner wants for ``kind`` (in the order email, SMS, WeChat)."""
    stored = Preference.objects.filter(user_id=user_id, kind=kind).values_list("channels", flat=True).first()
    chosen = KINDS[kind].default_channels if stored is None else tuple(c for c in stored.split(",") if c)
    return tuple(c for c in CHANNELS if c in chosen)


def all_choices(user_id: int) -> dict[str, tuple[str, ...]]:
    """{kind: channels} for every kind."""
    return {kind: channels_for(user_id, kind) for kind in KINDS}


def save_choices(user: Any, choices: dict[str, Iterable[str]]) -> None:
    """Store the learner's channels for each kind given; refuse unknown kinds or channels."""
    for kind, channels in choices.items():
        picked = set(channels)
        if kind not in KINDS or not picked <= set(CHANNELS):
            raise BadChoice(f"unknown kind or channel: {kind} {sorted(picked)}")
    for kind, channels in choices.items():
        value = ",".join(c for c in CHANNELS if c in set(channels))
        Preference.objects.update_or_create(user=user, kind=kind, defaults={"channels": value})
