"""Test settings for ``xueshi_studytime``: tests flush explicitly, so they can check what a flush does."""

from __future__ import annotations

from typing import Any


def plugin_settings(settings: Any) -> None:
    """No inline flush: component tests call the flusher themselves (and turn inline on where tested)."""
    settings.XUESHI_STUDYTIME_FLUSH_INLINE = False
