"""Settings of payments, read at access time so ``override_settings`` and operators' values win."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings

#: Channels when ``XUESHI_PAYMENT_CHANNELS`` is unset: bank transfer needs no merchant account.
DEFAULT_CHANNELS = {"transfer": "xueshi_payments.channels.transfer.BankTransferChannel"}
#: The online channels, offered when their merchant settings name a merchant (ADR 0135).
WECHAT_CHANNEL = "xueshi_payments.channels.wechat.WeChatPayChannel"
ALIPAY_CHANNEL = "xueshi_payments.channels.alipay.AlipayChannel"
UNIONPAY_CHANNEL = "xueshi_payments.channels.unionpay.UnionPayChannel"


def configured_channels(wechatpay: Any, alipay: Any, unionpay: Any = None) -> dict[str, str]:
    """Checkout's channels for these ``XUESHI_WECHATPAY``/``XUESHI_ALIPAY``/``XUESHI_UNIONPAY`` values.

    WeChat Pay when a merchant id is set, Alipay when an app id is set, UnionPay online banking
    when a ``MER_ID`` is set (ADR 0164), bank transfer always (it
    needs no merchant account). A half-filled merchant is still offered: its channel then answers
    "not ready" (503 on notices, an error page at checkout) and logs what is missing, which an
    operator notices sooner than a payment method silently absent.
    """
    channels: dict[str, str] = {}
    if (wechatpay or {}).get("MCHID"):
        channels["wechat"] = WECHAT_CHANNEL
    if (alipay or {}).get("APP_ID"):
        channels["alipay"] = ALIPAY_CHANNEL
    if (unionpay or {}).get("MER_ID"):
        channels["unionpay"] = UNIONPAY_CHANNEL
    channels.update(DEFAULT_CHANNELS)
    return channels


def _get(name: str, default: Any) -> Any:
    return getattr(settings, f"XUESHI_PAYMENTS_{name}", default)


def channel_paths() -> dict[str, str]:
    """Enabled channels, name -> dotted class path, in the order checkout offers them."""
    value = getattr(settings, "XUESHI_PAYMENT_CHANNELS", None) or DEFAULT_CHANNELS
    return {str(k): str(v) for k, v in dict(value).items()}


def notify_base_url() -> str:
    """The origin providers post notices to; ``PUBLIC_BASE_URL`` unless set apart.

    The sandbox sets it to the loopback address the sandbox servers reach, while browsers use
    whatever host they opened (``localhost``): their session cookie stays on that host.
    """
    return str(_get("NOTIFY_BASE_URL", "") or "").rstrip("/") or public_base_url()


def online_order_lifetime() -> timedelta:
    """How long an online (WeChat, Alipay, UnionPay) order may be paid before it is closed."""
    return timedelta(minutes=int(_get("ORDER_MINUTES", 30)))


def transfer_order_lifetime() -> timedelta:
    """How long a bank-transfer order waits for its transfer (transfers take days)."""
    return timedelta(days=int(_get("TRANSFER_DAYS", 7)))


def unenrol_on_full_refund() -> bool:
    """Whether a full refund unenrols the order's learners (the default: money back, no course)."""
    return bool(_get("UNENROL_ON_FULL_REFUND", True))


def max_receipt_bytes() -> int:
    """Largest transfer receipt accepted (bytes)."""
    return int(_get("MAX_RECEIPT_BYTES", 5 * 1024 * 1024))


def transfer_account() -> dict[str, str]:
    """The payee account shown to payers of bank transfers: ``name``, ``bank``, ``account``."""
    return {str(k): str(v) for k, v in dict(_get("TRANSFER_ACCOUNT", {}) or {}).items()}


def public_base_url() -> str:
    """The HTTPS origin notify and return URLs are built on (an ICP-filed domain in production).

    Empty: use the request's own origin (the sandbox and tests).
    """
    return str(_get("PUBLIC_BASE_URL", "") or "").rstrip("/")


def paid_currency() -> str:
    """Course modes priced in this currency count as paid modes (Open edX default is USD)."""
    return str(_get("CURRENCY", "cny")).lower()


def retry_after() -> timedelta:
    """Paid lines not enrolled for this long are retried by the beat task (a worker may have died)."""
    return timedelta(seconds=int(_get("ENROL_RETRY_SECONDS", 60)))
