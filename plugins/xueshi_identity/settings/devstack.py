"""Devstack settings for ``xueshi_identity``: production's values are kept (``tutor dev`` runs both)."""

from __future__ import annotations

from typing import Any


def plugin_settings(settings: Any) -> None:
    """Nothing changes in development."""
