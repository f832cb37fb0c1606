"""Test settings for ``xueshi_studytime``."""

from __future__ import annotations

from typing import Any


def plugin_settings(settings: Any) -> None:
    """Study-time defaults (filled in by the ledger work)."""
