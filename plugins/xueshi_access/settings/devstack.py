"""Devstack (``tutor dev``) settings of ``xueshi_access``: production's apply first (trap 16)."""

from __future__ import annotations

from typing import Any


def plugin_settings(settings: Any) -> None:
    """Nothing more for development."""
