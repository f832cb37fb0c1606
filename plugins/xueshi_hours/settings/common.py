"""Settings of ``xueshi_hours`` (platform ``add_plugins``); operators override them in their YAML."""

from __future__ import annotations

from typing import Any


def plugin_settings(settings: Any) -> None:
    """Defaults: the largest proof a learner may attach to external hours, and the types accepted."""
    settings.XUESHI_HOURS_MAX_ATTACHMENT_BYTES = getattr(
        settings, "XUESHI_HOURS_MAX_ATTACHMENT_BYTES", 5 * 1024 * 1024
    )
    settings.XUESHI_HOURS_RULE_FILE_MAX_BYTES = getattr(
        settings, "XUESHI_HOURS_RULE_FILE_MAX_BYTES", 512 * 1024
    )
