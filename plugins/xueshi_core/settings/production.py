"""Production overrides for ``xueshi_core``: values from the platform's YAML (``ENV_TOKENS``)."""

from __future__ import annotations

from typing import Any

from .common import install_middleware

_KEYS = (
    "XUESHI_TIME_ZONE",
    "XUESHI_DATA_KEYS",
    "XUESHI_DATA_HASH_KEY",
    "XUESHI_PERSONAL_DATA_FULL_VIEW_GROUPS",
    "XUESHI_REDIS_CONNECT_TIMEOUT",
    "XUESHI_REDIS_SOCKET_TIMEOUT",
    "XUESHI_SPOOL_DIR",
    "XUESHI_TRUSTED_PROXIES",
    "XUESHI_CALLER_CACHE",
    "XUESHI_CALLER_CACHE_SECONDS",
    "XUESHI_RETENTION_YEARS",
)


def plugin_settings(settings: Any) -> None:
    """Take each key the operator put in ``lms.env.yml`` (Tutor's patch sets them after this anyway)."""
    # Which layer ran last: demo seeding refuses "production" (xueshi_core.demo.refuse_on_production).
    settings.XUESHI_SETTINGS_LAYER = "production"
    env_tokens = getattr(settings, "ENV_TOKENS", {}) or {}
    for name in _KEYS:
        if name in env_tokens:
            setattr(settings, name, env_tokens[name])
    install_middleware(settings)
