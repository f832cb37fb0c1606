"""Alipay settings, money conversion, and the ``python-alipay-sdk`` client pointed at a gateway.

``XUESHI_ALIPAY`` (a dict; ``settings_from_env`` builds it from ``XUESHI_ALIPAY_*`` variables):
``APP_ID``, ``SELLER_ID`` (the 2088… partner id notices must name), the app private key and
Alipay's public key as PEM values (``APP_PRIVATE_KEY``, ``ALIPAY_PUBLIC_KEY``) or files
(``APP_PRIVATE_KEY_PATH``, ``ALIPAY_PUBLIC_KEY_PATH``), ``GATEWAY`` (default Alipay's production
``gateway.do``) and ``TIMEOUT`` (seconds). Keys never live in the repository.

The SDK picks its gateway from ``debug`` (production or Alipay's sandbox) and offers no setting
for another URL; ``GatewayAliPay`` sets that one attribute and stamps requests in Beijing time
(ADR 0145).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from alipay import AliPay
from alipay.utils import AliPayConfig

PRODUCTION_GATEWAY = "https://openapi.alipay.com/gateway.do"
BEIJING = ZoneInfo("Asia/Shanghai")
STAMP = "%Y-%m-%d %H:%M:%S"
_AMOUNT = re.compile(r"^[0-9]{1,9}(\.[0-9]{1,2})?$")
_ENV_KEYS = (
    "APP_ID",
    "SELLER_ID",
    "APP_PRIVATE_KEY",
    "APP_PRIVATE_KEY_PATH",
    "ALIPAY_PUBLIC_KEY",
    "ALIPAY_PUBLIC_KEY_PATH",
    "GATEWAY",
    "TIMEOUT",
)


def settings_from_env(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """``XUESHI_ALIPAY`` from ``XUESHI_ALIPAY_APP_ID`` … variables (only those that are set)."""
    env = os.environ if environ is None else environ
    return {key: env[f"XUESHI_ALIPAY_{key}"] for key in _ENV_KEYS if env.get(f"XUESHI_ALIPAY_{key}")}


@dataclass(frozen=True)
class AlipayConfig:
    """One merchant app at one gateway."""

    app_id: str
    seller_id: str
    app_private_key: str
    alipay_public_key: str
    gateway: str = PRODUCTION_GATEWAY
    timeout: float = 15.0

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> AlipayConfig:
        """From an ``XUESHI_ALIPAY``-shaped dict; ``ValueError`` naming what is missing."""

        def pem(name: str) -> str:
            if values.get(name):
                return str(values[name])
            if values.get(f"{name}_PATH"):
                return Path(str(values[f"{name}_PATH"])).read_text(encoding="ascii")
            raise ValueError(f"XUESHI_ALIPAY needs {name} or {name}_PATH")

        for name in ("APP_ID", "SELLER_ID"):
            if not values.get(name):
                raise ValueError(f"XUESHI_ALIPAY needs {name}")
        return cls(
            app_id=str(values["APP_ID"]),
            seller_id=str(values["SELLER_ID"]),
            app_private_key=pem("APP_PRIVATE_KEY"),
            alipay_public_key=pem("ALIPAY_PUBLIC_KEY"),
            gateway=str(values.get("GATEWAY") or PRODUCTION_GATEWAY),
            timeout=float(values.get("TIMEOUT") or 15.0),
        )

    @classmethod
    def from_settings(cls) -> AlipayConfig:
        """From Django's ``XUESHI_ALIPAY``, else from the environment."""
        from django.conf import settings

        return cls.from_mapping(getattr(settings, "XUESHI_ALIPAY", None) or settings_from_env())


class GatewayAliPay(AliPay):  # type: ignore[misc]  # the SDK ships no type hints
    """The SDK's key-mode client, talking to ``gateway`` instead of the URL ``debug`` chooses."""

    def __init__(self, config: AlipayConfig) -> None:
        super().__init__(
            appid=config.app_id,
            app_private_key_string=config.app_private_key,
            alipay_public_key_string=config.alipay_public_key,
            sign_type="RSA2",
            config=AliPayConfig(timeout=config.timeout),
        )
        self._gateway = config.gateway

    def build_body(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The SDK's body with ``timestamp`` in Beijing time (it uses the host's zone; servers run UTC)."""
        data: dict[str, Any] = super().build_body(*args, **kwargs)
        data["timestamp"] = datetime.now(BEIJING).strftime(STAMP)
        return data


def yuan(fen: int) -> str:
    """1230 → ``"12.30"``: Alipay's amounts are yuan strings with two decimals."""
    if fen < 0:
        raise ValueError("negative amount")
    whole, cents = divmod(fen, 100)
    return f"{whole}.{cents:02d}"


def fen(amount: str) -> int:
    """``"12.30"`` → 1230, exactly; ``ValueError`` for anything that is not a plain amount."""
    if not isinstance(amount, str) or not _AMOUNT.match(amount):
        raise ValueError(f"not an amount: {amount!r}")
    try:
        return int(Decimal(amount) * 100)
    except InvalidOperation:
        raise ValueError(f"not an amount: {amount!r}") from None


def beijing_stamp(moment: datetime) -> str:
    """``yyyy-MM-dd HH:mm:ss`` in Beijing time, the format of ``time_expire``."""
    return moment.astimezone(BEIJING).strftime(STAMP)


def parse_stamp(text: str) -> datetime | None:
    """An Alipay time as an aware datetime, or ``None`` when absent or malformed."""
    try:
        return datetime.strptime(text, STAMP).replace(tzinfo=BEIJING) if text else None
    except ValueError:
        return None
