"""Test-settings overrides for ``xueshi_core`` (platform ``lms/envs/test.py``)."""

from __future__ import annotations

from typing import Any

from .devkeys import fill_missing_data_keys


def plugin_settings(settings: Any) -> None:
    """Tests run on China days, with development data keys unless the environment gave some."""
    settings.XUESHI_SETTINGS_LAYER = "test"
    settings.XUESHI_TIME_ZONE = "Asia/Shanghai"
    fill_missing_data_keys(settings)
    # Never freeze a test process's heap: test objects would escape the cyclic collector.
    settings.XUESHI_GC_FREEZE_AT_REQUESTS = []
