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


def purge_past_retention(sender: Any, purge: Any, **kwargs: Any) -> None:
    """``RETENTION_DUE`` (ADR 0064): old sessions' devices and risk signals, retirees' records.

    Sessions opened before the cut-off lose network, device and risk signals; refused beats
    before it go; every study record of an account retired before it goes (children first:
    sessions are protected by the rows that point to them).

    The study record of a living account stays: it is the learner's archive and what certificates
    rest on; its sessions lose only what identified the device.
    """
    from django.db.models import Q

    from .models import (
        DailyStudyTotal,
        IdleChallenge,
        LedgerEntry,
        RefusedHeartbeat,
        StudyHold,
        VideoProgress,
    )

    old = PlaybackSession.objects.filter(opened_at__lt=purge.cutoff)
    marked = old.filter(Q(ip__isnull=False) | ~Q(user_agent="") | ~Q(risk_signals={}))
    purge.update(
        "studytime.session_devices_and_risk_signals", marked, ip=None, user_agent="", risk_signals={}
    )
    purge.delete(
        "studytime.refused_heartbeats", RefusedHeartbeat.objects.filter(received_at__lt=purge.cutoff)
    )
    retired = purge.retired_user_ids()
    for name, model in (
        ("ledger_entries", LedgerEntry),
        ("refused_heartbeats", RefusedHeartbeat),
        ("idle_challenges", IdleChallenge),
        ("holds", StudyHold),
        ("daily_totals", DailyStudyTotal),
        ("progress", VideoProgress),
        ("sessions", PlaybackSession),
    ):
        purge.delete(f"studytime.retired.{name}", model.objects.filter(user_id__in=retired))


def retire_account(sender: Any, retiree: Any, **kwargs: Any) -> None:
    """End the learner's live players (nothing more is credited), then forget where they played from."""
    holds.end_playback(retiree.user_id, END_REASON)
    PlaybackSession.objects.filter(user_id=retiree.user_id).exclude(ip=None, user_agent="").update(
        ip=None, user_agent=""
    )
