"""Production overrides for ``xueshi_core``: values from the platform's YAML (``ENV_TOKENS``)."""

from __future__ import annotations

from typing import Any


def plugin_settings(settings: Any) -> None:
    """Read ``XUESHI_TIME_ZONE`` from ``lms.env.yml`` when the operator put it there."""
    env_tokens = getattr(settings, "ENV_TOKENS", {}) or {}
    settings.XUESHI_TIME_ZONE = env_tokens.get("XUESHI_TIME_ZONE", settings.XUESHI_TIME_ZONE)
