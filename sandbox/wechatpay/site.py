"""The demo merchant the sandbox site pays with, and its ``XUESHI_WECHATPAY`` settings.

The site and the sandbox server (``python -m sandbox.wechatpay``, ``make sandbox-wechatpay``) read,
or first create, the same ``var/wechatpay-sandbox/keys.json``, so they agree on every key without
any being printed or committed. The site is given paths to the merchant's PEM files, as a real
merchant's settings name ``apiclient_key.pem`` and ``pub_key.pem``.
"""

from __future__ import annotations

from pathlib import Path

from .keys import DEFAULT_VAR, load_or_create

DEFAULT_PORT = 8061


def site_settings(
    base_url: str = f"http://127.0.0.1:{DEFAULT_PORT}", var: Path = DEFAULT_VAR
) -> dict[str, str]:
    """``XUESHI_WECHATPAY`` for a site paying through the sandbox (and getting openids from it)."""
    keys = load_or_create(var)
    values = keys.merchant_settings(base_url)
    del values["PRIVATE_KEY"], values["PUBLIC_KEY"]
    return {
        **values,
        "PRIVATE_KEY_PATH": str(var / "merchant" / "apiclient_key.pem"),
        "PUBLIC_KEY_PATH": str(var / "merchant" / "pub_key.pem"),
    }
