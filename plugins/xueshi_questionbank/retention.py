"""Retention step of the question bank: answers and scores of accounts retired before the cut-off.

Answers and scores are study records (需求 004: three years; 需求 003: five): they stay while the
account lives and for ``XUESHI_RETENTION_YEARS`` after its retirement, then go (ADR 0064).
Connected to ``xueshi_core.retention.RETENTION_DUE`` by ``plugin_app``; idempotent.
"""

from __future__ import annotations

from typing import Any

from .models import Attempt


def purge_past_retention(sender: Any, purge: Any, **kwargs: Any) -> None:
    """Hand the attempts of accounts retired before the cut-off to the purge."""
    purge.delete(
        "questionbank.retired.attempts", Attempt.objects.filter(user_id__in=purge.retired_user_ids())
    )
