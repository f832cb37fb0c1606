"""Test settings of ``xueshi_access``: lower suspicious-IP thresholds come from the tests themselves."""

from __future__ import annotations

from typing import Any


def plugin_settings(settings: Any) -> None:
    """Tests change settings per test with ``override_settings``; nothing global here."""
