"""Production settings of ``xueshi_access``: values from the platform's YAML (``ENV_TOKENS``)."""

from __future__ import annotations

from typing import Any

from .common import install

_KEYS = (
    "SINGLE_DEVICE",
    "CONCURRENT_LOGIN",
    "ACTIVE_SECONDS",
    "DEVICE_IDLE_SECONDS",
    "EXEMPT_USERNAMES",
    "AUDIT_RETENTION_DAYS",
    "FAILURE_WINDOW_SECONDS",
    "ACCOUNT_FAILURE_LIMIT",
    "IP_FAILURE_LIMIT",
    "LOCKOUT_SECONDS",
    "LOGIN_PATHS",
    "TOKEN_PATHS",
    "EXCHANGE_PATHS",
    "SUSPICIOUS_ACCOUNTS_PER_IP",
    "SUSPICIOUS_IPS_PER_ACCOUNT",
    "SUSPICIOUS_WINDOW_DAYS",
    "JUMP_WINDOW_SECONDS",
    "JUMP_MIN_KM",
    "IP2REGION_XDB",
    "REDIS_URL",
    "REDIS_PREFIX",
)


def plugin_settings(settings: Any) -> None:
    """Take each ``XUESHI_ACCESS_*`` from ``lms.env.yml``; re-install the filter step after the YAML."""
    env_tokens = getattr(settings, "ENV_TOKENS", {}) or {}
    for key in _KEYS:
        name = f"XUESHI_ACCESS_{key}"
        if name in env_tokens:
            setattr(settings, name, env_tokens[name])
    install(settings)
