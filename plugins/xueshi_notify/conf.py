"""Settings of ``xueshi_notify``, read when used (so ``override_settings`` works); all optional.

Without ``XUESHI_NOTIFY_SMS`` (or ``XUESHI_NOTIFY_WECHAT``) that channel is not configured: its
deliveries are recorded as skipped with the reason, and mail still goes out.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

SMS_PROVIDERS = ("aliyun", "tencent")
DEFAULT_RETRY_DELAYS = [30, 120, 600, 1800, 7200]


def _get(name: str, default: Any) -> Any:
    return getattr(settings, f"XUESHI_NOTIFY_{name}", default)


def sms() -> dict[str, Any]:
    """``XUESHI_NOTIFY_SMS``: ``PROVIDER`` (aliyun|tencent), keys, ``SIGN_NAME``, ``TEMPLATES``.

    Alibaba Cloud: ``ACCESS_KEY_ID``, ``ACCESS_KEY_SECRET``; Tencent Cloud: ``SECRET_ID``,
    ``SECRET_KEY``, ``SDK_APP_ID``, ``REGION``. Both: ``ENDPOINT`` and ``PROTOCOL`` (the sandbox's
    loopback address and ``http`` in development), ``TEMPLATES`` = {kind: the provider's template
    code}. Under Tutor the plugin renders it from ``XUESHI_SMS_*`` settings.
    """
    value = _get("SMS", None) or {}
    return dict(value) if isinstance(value, dict) else {}


def sms_provider() -> str:
    """The configured SMS provider's name, or ``""`` when SMS is not configured."""
    provider = str(sms().get("PROVIDER") or "")
    return provider if provider in SMS_PROVIDERS else ""


def wechat() -> dict[str, Any]:
    """``XUESHI_NOTIFY_WECHAT``: ``APPID``, ``SECRET``, ``BASE_URL``, ``TEMPLATES``.

    ``BASE_URL`` defaults to ``https://api.weixin.qq.com``; ``TEMPLATES`` = {kind: {"id": the
    template id chosen in the official account's console, "fields": {"thing1": "context key"}}}.
    """
    value = _get("WECHAT", None) or {}
    return dict(value) if isinstance(value, dict) else {}


def retry_delays() -> list[int]:
    """Seconds before each retry of a transient failure (``XUESHI_NOTIFY_RETRY_DELAYS``).

    After the last one the delivery gives up (state ``failed``, with the reason).
    """
    return [int(d) for d in (_get("RETRY_DELAYS", None) or DEFAULT_RETRY_DELAYS)]


def timeout() -> float:
    """Seconds to wait for a provider (``XUESHI_NOTIFY_TIMEOUT``, 10)."""
    return float(_get("TIMEOUT", 10))


def sending_lease_seconds() -> int:
    """How long a delivery may stay ``sending`` before the sweep calls it unconfirmed (300)."""
    return int(_get("SENDING_LEASE_SECONDS", 300))


def reminder_days() -> list[int]:
    """Days before a period ends on which learners short of hours are reminded ([60, 30, 7])."""
    return [int(d) for d in (_get("HOURS_REMINDER_DAYS", None) or [60, 30, 7])]


def redis_url() -> str:
    """Redis for the shared WeChat access_token (``XUESHI_NOTIFY_REDIS_URL``, else the ledger's)."""
    return str(_get("REDIS_URL", "") or getattr(settings, "XUESHI_STUDYTIME_REDIS_URL", "") or "")


def queue() -> str | None:
    """The Celery queue deliveries go to (``XUESHI_NOTIFY_CELERY_QUEUE``; None = the default queue)."""
    return str(_get("CELERY_QUEUE", "") or "") or None


def default_language() -> str:
    """Language of learners who chose none (``XUESHI_NOTIFY_DEFAULT_LANGUAGE``, ``zh-cn``)."""
    return str(_get("DEFAULT_LANGUAGE", "") or "zh-cn")


def batch_size() -> int:
    """Learners per Celery task when a training project is announced (``XUESHI_NOTIFY_BATCH_SIZE``, 200)."""
    return max(1, int(_get("BATCH_SIZE", 200)))
