"""Devstack settings for ``xueshi_face``: production's values stand (``tutor dev`` applies them first)."""

from __future__ import annotations

from typing import Any


def plugin_settings(settings: Any) -> None:
    """Nothing to change in development."""
