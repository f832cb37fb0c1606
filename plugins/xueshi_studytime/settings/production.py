"""Production settings for ``xueshi_studytime``: values from the platform's YAML (``ENV_TOKENS``)."""

from __future__ import annotations

from typing import Any

from .common import install_middleware

_KEYS = (
    "HEARTBEAT_SECONDS",
    "ANTI_IDLE_SECONDS",
    "LEASE_POLICY",
    "TOKEN_KEYS",
    "TOKEN_TTL_SECONDS",
    "REDIS_URL",
    "REDIS_PREFIX",
    "SHARDS",
    "FLUSH_INLINE",
    "FLUSH_BATCH_SIZE",
    "JITTER_SECONDS",
    "OPEN_BURST",
    "OPEN_REFILL_SECONDS",
    "CHALLENGE_SECONDS",
    "CHALLENGE_ATTEMPTS",
    "CHALLENGE_ROTATIONS",
    "MEDIA_PROOF",
    "MEDIA_SIGNED_PREFIXES",
)


def plugin_settings(settings: Any) -> None:
    """Take each ``XUESHI_STUDYTIME_*`` the operator put in ``lms.env.yml``; keep the middleware."""
    env_tokens = getattr(settings, "ENV_TOKENS", {}) or {}
    for key in _KEYS:
        name = f"XUESHI_STUDYTIME_{key}"
        if name in env_tokens:
            setattr(settings, name, env_tokens[name])
    install_middleware(settings)
