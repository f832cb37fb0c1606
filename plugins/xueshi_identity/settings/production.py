"""Production settings for ``xueshi_identity``: values from ``lms.env.yml``, then our hooks again."""

from __future__ import annotations

from typing import Any

from .wiring import wire_into_platform

_KEYS = ("REQUIRED", "MIN_AGE", "ID_TYPES", "LEARNER_MAY_EDIT_IDENTITY", "PROTECTED_PATHS")


def plugin_settings(settings: Any) -> None:
    """Take each ``XUESHI_IDENTITY_*`` from the YAML; re-apply our wiring the YAML may have replaced."""
    env_tokens = getattr(settings, "ENV_TOKENS", {}) or {}
    for key in _KEYS:
        name = f"XUESHI_IDENTITY_{key}"
        if name in env_tokens:
            setattr(settings, name, env_tokens[name])
    wire_into_platform(settings)
