"""Devstack settings for ``xueshi_studytime``."""

from __future__ import annotations

from typing import Any


def plugin_settings(settings: Any) -> None:
    """Keep production's values (``tutor dev`` applies production first); flush inline without a broker."""
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        settings.XUESHI_STUDYTIME_FLUSH_INLINE = True
