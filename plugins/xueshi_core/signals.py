"""Receivers of ``xueshi_core``, connected by the platform through ``plugin_app['signals_config']``."""

from __future__ import annotations

from typing import Any

from .roles import ensure_roles


def ensure_roles_after_migrate(sender: Any, app_config: Any = None, **kwargs: Any) -> None:
    """Create the Xueshi role groups once our app's tables exist (after every ``migrate``)."""
    if getattr(app_config, "label", None) == "xueshi_core":
        ensure_roles()
