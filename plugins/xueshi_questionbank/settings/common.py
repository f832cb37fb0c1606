"""Common settings for ``xueshi_questionbank`` (platform ``add_plugins(..., SettingsType.COMMON)``)."""

from __future__ import annotations

from typing import Any


def plugin_settings(settings: Any) -> None:
    """Defaults; operators override them in production settings (``ENV_TOKENS``) or Tutor patches."""
    settings.XUESHI_QUESTIONBANK_MAX_IMPORT_BYTES = getattr(
        settings, "XUESHI_QUESTIONBANK_MAX_IMPORT_BYTES", 5 * 1024 * 1024
    )
    settings.XUESHI_QUESTIONBANK_MAX_IMPORT_ROWS = getattr(
        settings, "XUESHI_QUESTIONBANK_MAX_IMPORT_ROWS", 5000
    )
    settings.XUESHI_QUESTIONBANK_MAX_UNPACKED_BYTES = getattr(
        settings, "XUESHI_QUESTIONBANK_MAX_UNPACKED_BYTES", 50 * 1024 * 1024
    )
