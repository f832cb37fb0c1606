"""LMS defaults for ``xueshi_identity`` (platform ``add_plugins(..., SettingsType.COMMON)``)."""

from __future__ import annotations

from typing import Any

from .wiring import wire_into_platform


def plugin_settings(settings: Any) -> None:
    """Defaults operators may override (``XUESHI_IDENTITY_*``), and our hooks into the LMS."""
    settings.XUESHI_IDENTITY_REQUIRED = True
    settings.XUESHI_IDENTITY_MIN_AGE = 0
    settings.XUESHI_IDENTITY_ID_TYPES = None  # None = every supported document type
    settings.XUESHI_IDENTITY_LEARNER_MAY_EDIT_IDENTITY = False
    wire_into_platform(settings)
