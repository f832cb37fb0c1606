"""Test-settings overrides for ``xueshi_core`` (platform ``lms/envs/test.py``)."""

from __future__ import annotations

from typing import Any


def plugin_settings(settings: Any) -> None:
    """Tests run on China days too, so nothing changes here."""
    settings.XUESHI_TIME_ZONE = "Asia/Shanghai"
