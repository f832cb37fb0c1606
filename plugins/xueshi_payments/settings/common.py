"""Common settings for ``xueshi_payments`` (platform ``add_plugins(..., SettingsType.COMMON)``)."""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

from ..channels.alipay_client import settings_from_env
from ..channels.unionpay_config import settings_from_env as unionpay_from_env
from ..channels.wechat_config import from_env
from ..conf import configured_channels
from .wiring import wire_into_platform

BEAT = {
    "xueshi-payments-sweep-orders": ("xueshi_payments.tasks.sweep_orders", timedelta(minutes=1)),
    # Hourly: any of the last 3 Asia/Shanghai days without a good run is reconciled (ADR 0138).
    "xueshi-payments-reconcile-bills": ("xueshi_payments.tasks.reconcile_bills", timedelta(hours=1)),
}


def plugin_settings(settings: Any) -> None:
    """Defaults; operators override them in production settings (``ENV_TOKENS``) or Tutor patches."""
    # Merchant settings from XUESHI_WECHATPAY_* / XUESHI_ALIPAY_* / XUESHI_UNIONPAY_* variables
    # (never defaults: no secret lives in code); the online channels are offered once a merchant
    # is named (ADRs 0135, 0164).
    settings.XUESHI_WECHATPAY = from_env(os.environ)
    settings.XUESHI_ALIPAY = settings_from_env(os.environ)
    settings.XUESHI_UNIONPAY = unionpay_from_env(os.environ)
    settings.XUESHI_PAYMENT_CHANNELS = configured_channels(
        settings.XUESHI_WECHATPAY, settings.XUESHI_ALIPAY, settings.XUESHI_UNIONPAY
    )
    settings.XUESHI_PAYMENTS_ORDER_MINUTES = 30
    settings.XUESHI_PAYMENTS_TRANSFER_DAYS = 7
    settings.XUESHI_PAYMENTS_UNENROL_ON_FULL_REFUND = True
    settings.XUESHI_PAYMENTS_MAX_RECEIPT_BYTES = 5 * 1024 * 1024
    settings.XUESHI_PAYMENTS_TRANSFER_ACCOUNT = {}
    settings.XUESHI_PAYMENTS_PUBLIC_BASE_URL = ""
    settings.XUESHI_PAYMENTS_NOTIFY_BASE_URL = ""
    settings.XUESHI_PAYMENTS_CURRENCY = "cny"
    settings.XUESHI_PAYMENTS_ENROL_RETRY_SECONDS = 60
    schedule = getattr(settings, "CELERYBEAT_SCHEDULE", None)
    if schedule is None:
        schedule = settings.CELERYBEAT_SCHEDULE = {}
    for name, (task, every) in BEAT.items():
        schedule[name] = {"task": task, "schedule": every}
    wire_into_platform(settings)
