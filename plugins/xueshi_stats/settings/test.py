"""Test settings for ``xueshi_stats``: the common defaults stand (applied before these)."""

from __future__ import annotations

from typing import Any


def plugin_settings(settings: Any) -> None:
    """Nothing to change from the common defaults."""
