"""UnionPay (银联 ACP 5.1.0) settings, the merchant's keys, and where each order's ``txnTime`` is kept.

``XUESHI_UNIONPAY`` (a dict; ``settings_from_env`` builds it from ``XUESHI_UNIONPAY_*``):
``MER_ID`` (15-digit merchant number), ``SIGN_CERT_PATH`` + ``SIGN_CERT_PASSWORD`` (the merchant's
PFX signing certificate), ``MIDDLE_CERT_PATH`` and ``ROOT_CERT_PATH`` (UnionPay's verification
chain), ``GATEWAY`` (default ``https://gateway.95516.com``), ``FILE_URL`` (``fileTransfer``, default
``https://filedownload.95516.com/``), ``ACCEPT_TEST_CN`` ("1" only against
UnionPay's test environment) and ``TIMEOUT`` (seconds). Keys never live in the repository.

ACP finds a transaction by ``orderId`` *and* ``txnTime`` (the merchant's send time). The order
keeps its payment's ``txnTime`` (ADR 0165); the channel also keeps each ``orderId``'s first
``txnTime`` (and ``backUrl``) in Redis, so a retried refund reuses its own and orders started
before ADR 0165 are still found: UnionPay sees the same transaction, never a second one (ADR 0161).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from xueshi_core import redisclients

from .base import ChannelError
from .unionpay_signing import load_certificate_file, load_pfx

PRODUCTION_GATEWAY = "https://gateway.95516.com"
PRODUCTION_FILE_URL = "https://filedownload.95516.com/"
FRONT_PATH = "/gateway/api/frontTransReq.do"
BACK_PATH = "/gateway/api/backTransReq.do"
QUERY_PATH = "/gateway/api/queryTrans.do"
_ENV_KEYS = (
    "MER_ID",
    "SIGN_CERT_PATH",
    "SIGN_CERT_PASSWORD",
    "MIDDLE_CERT_PATH",
    "ROOT_CERT_PATH",
    "GATEWAY",
    "FILE_URL",
    "ACCEPT_TEST_CN",
    "TIMEOUT",
)
KEEP_SECONDS = 400 * 24 * 3600  # refunds are accepted for a year after payment


def settings_from_env(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """``XUESHI_UNIONPAY`` from ``XUESHI_UNIONPAY_MER_ID`` … variables (only those that are set)."""
    env = os.environ if environ is None else environ
    return {key: env[f"XUESHI_UNIONPAY_{key}"] for key in _ENV_KEYS if env.get(f"XUESHI_UNIONPAY_{key}")}


@dataclass(frozen=True)
class UnionPayConfig:
    """One merchant number with its signing key, and UnionPay's chain to trust."""

    mer_id: str
    sign_key: rsa.RSAPrivateKey
    sign_cert: x509.Certificate
    middle_cert: x509.Certificate
    root_cert: x509.Certificate
    gateway: str = PRODUCTION_GATEWAY
    file_url: str = PRODUCTION_FILE_URL
    accept_test_cn: bool = False
    timeout: float = 15.0

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> UnionPayConfig:
        """From an ``XUESHI_UNIONPAY``-shaped dict; ``ValueError`` naming what is missing."""
        for name in ("MER_ID", "SIGN_CERT_PATH", "MIDDLE_CERT_PATH", "ROOT_CERT_PATH"):
            if not values.get(name):
                raise ValueError(f"XUESHI_UNIONPAY needs {name}")
        key, cert = load_pfx(
            Path(str(values["SIGN_CERT_PATH"])).read_bytes(), str(values.get("SIGN_CERT_PASSWORD", ""))
        )
        return cls(
            mer_id=str(values["MER_ID"]),
            sign_key=key,
            sign_cert=cert,
            middle_cert=load_certificate_file(str(values["MIDDLE_CERT_PATH"])),
            root_cert=load_certificate_file(str(values["ROOT_CERT_PATH"])),
            gateway=str(values.get("GATEWAY") or PRODUCTION_GATEWAY).rstrip("/"),
            file_url=str(values.get("FILE_URL") or PRODUCTION_FILE_URL),
            accept_test_cn=str(values.get("ACCEPT_TEST_CN", "")) in ("1", "true", "True"),
            timeout=float(values.get("TIMEOUT") or 15.0),
        )

    @classmethod
    def from_settings(cls) -> UnionPayConfig:
        """From Django's ``XUESHI_UNIONPAY``, else from the environment."""
        from django.conf import settings

        return cls.from_mapping(getattr(settings, "XUESHI_UNIONPAY", None) or settings_from_env())


class TxnTimes:
    """``orderId`` → its first ``txnTime`` and ``backUrl``, in Redis (core's client factory)."""

    PREFIX = "xueshi:payments:unionpay:txn:"

    def __init__(self, redis_client: Any = None) -> None:
        self._redis = redis_client

    @property
    def redis(self) -> Any:
        """``XUESHI_PAYMENTS_REDIS_URL`` (else ``REDIS_URL``) through core's factory."""
        if self._redis is None:
            from django.conf import settings

            url = getattr(settings, "XUESHI_PAYMENTS_REDIS_URL", "") or getattr(settings, "REDIS_URL", "")
            self._redis = redisclients.client(url, setting="XUESHI_PAYMENTS_REDIS_URL")
        return self._redis

    def remember(self, order_id: str, txn_time: str, back_url: str) -> tuple[str, str]:
        """Keep ``txn_time`` unless ``order_id`` already has one; returns the one kept (and its URL)."""
        value = json.dumps({"txn_time": txn_time, "back_url": back_url})
        try:
            self.redis.set(self.PREFIX + order_id, value, nx=True, ex=KEEP_SECONDS)
        except redisclients.RedisError as error:
            raise ChannelError("txn_store", f"Redis: {error}", retryable=True) from None
        kept = self.recall(order_id)
        return kept if kept else (txn_time, back_url)

    def recall(self, order_id: str) -> tuple[str, str] | None:
        """The ``(txnTime, backUrl)`` sent for ``order_id``, or ``None`` if it was never sent."""
        try:
            raw = self.redis.get(self.PREFIX + order_id)
        except redisclients.RedisError as error:  # not knowing txnTime must not look like "never sent"
            raise ChannelError("txn_store", f"Redis: {error}", retryable=True) from None
        if not raw:
            return None
        data = json.loads(raw)
        return str(data["txn_time"]), str(data.get("back_url", ""))
