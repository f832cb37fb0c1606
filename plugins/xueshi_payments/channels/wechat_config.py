"""``XUESHI_WECHATPAY``: the merchant's ids, keys and endpoint, read from the environment.

Keys are given as values or as paths to PEM files (what the merchant platform hands out:
``apiclient_key.pem`` and the WeChat Pay public key ``pub_key.pem``), never committed. Either the
WeChat Pay public key (``PUBLIC_KEY`` + ``PUBLIC_KEY_ID``), platform certificates
(``PLATFORM_CERT_DIR``, refreshed from ``/v3/certificates``), or both during a switch.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_BASE_URL = "https://api.mch.weixin.qq.com"
ENV_PREFIX = "XUESHI_WECHATPAY_"
FIELDS = (
    "MCHID",
    "APPID",
    "PRIVATE_KEY",
    "PRIVATE_KEY_PATH",
    "CERT_SERIAL_NO",
    "APIV3_KEY",
    "PUBLIC_KEY",
    "PUBLIC_KEY_PATH",
    "PUBLIC_KEY_ID",
    "PLATFORM_CERT_DIR",
    "BASE_URL",
    "TIMEOUT",
    "REFUND_NOTIFY_URL",
    "APP_SECRET",
    "OAUTH_AUTHORIZE_URL",
    "OAUTH_API_URL",
)


class ConfigError(ValueError):
    """``XUESHI_WECHATPAY`` is missing something or holds a malformed value."""


def from_env(environ: Mapping[str, str]) -> dict[str, str]:
    """``XUESHI_WECHATPAY`` from ``XUESHI_WECHATPAY_<FIELD>`` variables (settings call this)."""
    return {name: environ[ENV_PREFIX + name] for name in FIELDS if environ.get(ENV_PREFIX + name)}


def _pem(values: Mapping[str, Any], name: str) -> str:
    if values.get(name):
        return str(values[name])
    path = values.get(f"{name}_PATH")
    if path:
        try:
            return Path(str(path)).read_text(encoding="ascii")
        except OSError as exc:
            raise ConfigError(f"XUESHI_WECHATPAY {name}_PATH: cannot read {path}: {exc}") from exc
    return ""


@dataclass(frozen=True)
class WeChatPayConfig:
    """One merchant (直连商户), checked."""

    mchid: str
    appid: str
    private_key: str
    cert_serial_no: str
    apiv3_key: str
    public_key: str = ""
    public_key_id: str = ""
    platform_cert_dir: str = ""
    base_url: str = DEFAULT_BASE_URL
    timeout: float = 10.0
    refund_notify_url: str = ""  # "" = the refund notice URL set on the merchant platform

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> WeChatPayConfig:
        """Build from a ``XUESHI_WECHATPAY`` dict; ``ConfigError`` names what is wrong."""
        missing = [n for n in ("MCHID", "APPID", "CERT_SERIAL_NO", "APIV3_KEY") if not values.get(n)]
        private_key = _pem(values, "PRIVATE_KEY")
        if not private_key:
            missing.append("PRIVATE_KEY or PRIVATE_KEY_PATH")
        if missing:
            raise ConfigError(f"XUESHI_WECHATPAY lacks {', '.join(missing)}")
        public_key, public_key_id = _pem(values, "PUBLIC_KEY"), str(values.get("PUBLIC_KEY_ID") or "")
        if bool(public_key) != bool(public_key_id):
            raise ConfigError("XUESHI_WECHATPAY: PUBLIC_KEY and PUBLIC_KEY_ID go together")
        if public_key_id and not public_key_id.startswith("PUB_KEY_ID_"):
            raise ConfigError("XUESHI_WECHATPAY PUBLIC_KEY_ID starts with PUB_KEY_ID_")
        apiv3_key = str(values["APIV3_KEY"])
        if len(apiv3_key.encode("utf-8")) != 32:
            raise ConfigError("XUESHI_WECHATPAY APIV3_KEY is 32 bytes (merchant platform → API安全)")
        if not re.fullmatch(r"[0-9A-Fa-f]+", str(values["CERT_SERIAL_NO"])):
            raise ConfigError("XUESHI_WECHATPAY CERT_SERIAL_NO is the API certificate's hex serial")
        return cls(
            mchid=str(values["MCHID"]),
            appid=str(values["APPID"]),
            private_key=private_key,
            cert_serial_no=str(values["CERT_SERIAL_NO"]).upper(),
            apiv3_key=apiv3_key,
            public_key=public_key,
            public_key_id=public_key_id,
            platform_cert_dir=str(values.get("PLATFORM_CERT_DIR") or ""),
            base_url=str(values.get("BASE_URL") or DEFAULT_BASE_URL).rstrip("/"),
            timeout=float(values.get("TIMEOUT") or 10.0),
            refund_notify_url=str(values.get("REFUND_NOTIFY_URL") or ""),
        )

    @classmethod
    def from_settings(cls) -> WeChatPayConfig:
        """From Django's ``settings.XUESHI_WECHATPAY``."""
        from django.conf import settings

        return cls.from_values(getattr(settings, "XUESHI_WECHATPAY", None) or {})
