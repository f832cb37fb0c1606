"""Test settings for ``xueshi_face``: the defaults; tests turn features on with ``override_settings``."""

from __future__ import annotations

from typing import Any


def plugin_settings(settings: Any) -> None:
    """Nothing to change for tests."""
