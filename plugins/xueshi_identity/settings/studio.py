"""Studio settings for ``xueshi_identity``: defaults only; Studio gates no learners."""

from __future__ import annotations

from typing import Any


def plugin_settings(settings: Any) -> None:
    """Model defaults, so Studio's admin or shell can read profiles consistently."""
    settings.XUESHI_IDENTITY_REQUIRED = True
    settings.XUESHI_IDENTITY_MIN_AGE = 0
