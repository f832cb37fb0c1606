"""Test settings for ``xueshi_identity``: the same rules as production."""

from __future__ import annotations

from typing import Any


def plugin_settings(settings: Any) -> None:
    """Tests see the production defaults (profile required)."""
    settings.XUESHI_IDENTITY_REQUIRED = True
