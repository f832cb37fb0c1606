"""Devstack settings for ``xueshi_payments`` (the sandbox and ``tutor dev``): a demo payee account."""

from __future__ import annotations

from typing import Any


def plugin_settings(settings: Any) -> None:
    """A clearly fake payee account, so the bank-transfer page has something to show in the demo."""
    if not getattr(settings, "XUESHI_PAYMENTS_TRANSFER_ACCOUNT", None):
        settings.XUESHI_PAYMENTS_TRANSFER_ACCOUNT = {
            "name": "学时演示培训中心（演示账户，请勿转账）",
            "bank": "演示银行福州分行",
            "account": "6200 0000 0000 0000 000",
        }
