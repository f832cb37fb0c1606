"""Production settings for ``xueshi_payments``: values from the platform's YAML (``ENV_TOKENS``)."""

from __future__ import annotations

from typing import Any

from ..conf import configured_channels
from .wiring import wire_into_platform

_KEYS = (
    "ORDER_MINUTES",
    "TRANSFER_DAYS",
    "UNENROL_ON_FULL_REFUND",
    "MAX_RECEIPT_BYTES",
    "TRANSFER_ACCOUNT",
    "PUBLIC_BASE_URL",
    "NOTIFY_BASE_URL",
    "CURRENCY",
    "ENROL_RETRY_SECONDS",
)


def plugin_settings(settings: Any) -> None:
    """Take ``XUESHI_PAYMENTS_*``, the merchant dicts and ``XUESHI_PAYMENT_CHANNELS`` from the YAML."""
    env_tokens = getattr(settings, "ENV_TOKENS", {}) or {}
    for key in _KEYS:
        name = f"XUESHI_PAYMENTS_{key}"
        if name in env_tokens:
            setattr(settings, name, env_tokens[name])
    # A merchant dict in the YAML completes (and overrides) what the environment gave.
    for name in ("XUESHI_WECHATPAY", "XUESHI_ALIPAY", "XUESHI_UNIONPAY"):
        if isinstance(env_tokens.get(name), dict):
            merged = {**(getattr(settings, name, None) or {}), **env_tokens[name]}
            setattr(settings, name, {k: v for k, v in merged.items() if v not in (None, "")})
    if "XUESHI_PAYMENT_CHANNELS" in env_tokens:
        settings.XUESHI_PAYMENT_CHANNELS = env_tokens["XUESHI_PAYMENT_CHANNELS"]
    else:
        settings.XUESHI_PAYMENT_CHANNELS = configured_channels(
            getattr(settings, "XUESHI_WECHATPAY", None),
            getattr(settings, "XUESHI_ALIPAY", None),
            getattr(settings, "XUESHI_UNIONPAY", None),
        )
    wire_into_platform(settings)
