"""Retirement step of the ledger: stop live playback, erase the sessions' IP addresses and devices.

The ledger, daily totals, progress, holds and idle challenges stay: they are the study record the
regulators keep for 3-5 years, and they hold no personal data beyond the account's id (which
the platform renames ``retired__user_<hash>`` and strips of names). Connected to
``xueshi_core.retirement.ACCOUNT_RETIRING`` by ``plugin_app`` (ADR 0060); idempotent.
"""

from __future__ import annotations

from typing import Any

from . import holds
from .models import PlaybackSession

END_REASON = "account_retired"


def retire_account(sender: Any, retiree: Any, **kwargs: Any) -> None:
    """End the learner's live players (nothing more is credited), then forget where they played from."""
    holds.end_playback(retiree.user_id, END_REASON)
    PlaybackSession.objects.filter(user_id=retiree.user_id).exclude(ip=None, user_agent="").update(
        ip=None, user_agent=""
    )
