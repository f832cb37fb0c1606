"""Production settings for ``xueshi_questionbank``: values from the platform's YAML (``ENV_TOKENS``)."""

from __future__ import annotations

from typing import Any

_KEYS = ("MAX_IMPORT_BYTES", "MAX_IMPORT_ROWS", "MAX_UNPACKED_BYTES", "MAX_DRAW")


def plugin_settings(settings: Any) -> None:
    """Take each ``XUESHI_QUESTIONBANK_*`` the operator put in ``lms.env.yml``."""
    env_tokens = getattr(settings, "ENV_TOKENS", {}) or {}
    for key in _KEYS:
        name = f"XUESHI_QUESTIONBANK_{key}"
        if name in env_tokens:
            setattr(settings, name, env_tokens[name])
