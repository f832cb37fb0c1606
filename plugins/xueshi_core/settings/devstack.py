"""Devstack (``tutor dev``) overrides for ``xueshi_core``: production's values, dev keys if none."""

from __future__ import annotations

from typing import Any

from .devkeys import fill_missing_data_keys


def plugin_settings(settings: Any) -> None:
    """Keep production's values (``tutor dev`` applies production first, trap 16); fill missing keys."""
    settings.XUESHI_SETTINGS_LAYER = "devstack"  # overrides production's marker: demo seeding allowed
    fill_missing_data_keys(settings)
