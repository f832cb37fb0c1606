"""Production settings for ``xueshi_payments``: values from the platform's YAML (``ENV_TOKENS``)."""

from __future__ import annotations

from typing import Any

from .wiring import wire_into_platform

_KEYS = (
    "ORDER_MINUTES",
    "TRANSFER_DAYS",
    "UNENROL_ON_FULL_REFUND",
    "MAX_RECEIPT_BYTES",
    "TRANSFER_ACCOUNT",
    "PUBLIC_BASE_URL",
    "CURRENCY",
    "ENROL_RETRY_SECONDS",
)


def plugin_settings(settings: Any) -> None:
    """Take each ``XUESHI_PAYMENTS_*`` and ``XUESHI_PAYMENT_CHANNELS`` the operator put in ``lms.env.yml``."""
    env_tokens = getattr(settings, "ENV_TOKENS", {}) or {}
    for key in _KEYS:
        name = f"XUESHI_PAYMENTS_{key}"
        if name in env_tokens:
            setattr(settings, name, env_tokens[name])
    if "XUESHI_PAYMENT_CHANNELS" in env_tokens:
        settings.XUESHI_PAYMENT_CHANNELS = env_tokens["XUESHI_PAYMENT_CHANNELS"]
    wire_into_platform(settings)
