"""Devstack (``tutor dev``) overrides for ``xueshi_core``: none beyond production's."""

from __future__ import annotations

from typing import Any


def plugin_settings(settings: Any) -> None:
    """Keep production's values; ``tutor dev`` applies production first (trap 16)."""
