"""Settings of ``xueshi_invoices``, read when used (so ``override_settings`` works); all optional.

Without ``XUESHI_INVOICES_NUONUO_URL`` the provider is not configured: requests are kept and shown
as waiting, nothing is sent.
"""

from __future__ import annotations

from django.conf import settings

PRODUCTION_URL = "https://sdk.nuonuo.com"
PRODUCTION_TOKEN_URL = "https://open.nuonuo.com/accessToken"  # noqa: S105 (a URL)


def _get(name: str, default: object) -> object:
    return getattr(settings, f"XUESHI_INVOICES_{name}", default)


def nuonuo() -> dict[str, str]:
    """``XUESHI_INVOICES_NUONUO_{URL,TOKEN_URL,APP_KEY,APP_SECRET}``.

    URL is the services base (``https://sdk.nuonuo.com``; the sandbox's loopback URL in
    development); TOKEN_URL defaults to ``<URL>/accessToken`` (``https://open.nuonuo.com`` in
    production).
    """
    url = str(_get("NUONUO_URL", "") or "").rstrip("/")
    values = {
        "url": url,
        "token_url": str(_get("NUONUO_TOKEN_URL", "") or (url + "/accessToken" if url else "")),
        "app_key": str(_get("NUONUO_APP_KEY", "") or ""),
        "app_secret": str(_get("NUONUO_APP_SECRET", "") or ""),
    }
    # Under Tutor the plugin renders ``XUESHI_INVOICE = {"PROVIDER", "APP_KEY", "APP_SECRET", ...}``
    # (``tutor xueshi check`` validates it); production hosts are Nuonuo's.
    tutor = getattr(settings, "XUESHI_INVOICE", None) or {}
    if not url and tutor.get("PROVIDER") == "nuonuo":
        values = {
            "url": PRODUCTION_URL,
            "token_url": PRODUCTION_TOKEN_URL,
            "app_key": str(tutor.get("APP_KEY") or ""),
            "app_secret": str(tutor.get("APP_SECRET") or ""),
        }
    return values


BAIWANG_PRODUCTION_URL = "https://openapi.baiwang.com/router/rest"


def provider() -> str:
    """``XUESHI_INVOICES_PROVIDER``: ``nuonuo`` (default) or ``baiwang``; Tutor's ``PROVIDER`` otherwise."""
    chosen = str(_get("PROVIDER", "") or "")
    tutor = getattr(settings, "XUESHI_INVOICE", None) or {}
    return (chosen or str(tutor.get("PROVIDER") or "nuonuo")).lower()


def baiwang() -> dict[str, str]:
    """``XUESHI_INVOICES_BAIWANG_{URL,APP_KEY,APP_SECRET,USERNAME,PASSWORD,ORG_ID}``.

    URL is the router (``https://openapi.baiwang.com/router/rest``; the sandbox's loopback URL in
    development); USERNAME/PASSWORD are the platform user the token is issued to; ORG_ID is the
    seller's tax number when it differs from the seller profile's (one app, one seller).
    """
    values = {
        name.lower(): str(_get(f"BAIWANG_{name}", "") or "")
        for name in ("URL", "APP_KEY", "APP_SECRET", "USERNAME", "PASSWORD", "ORG_ID")
    }
    tutor = getattr(settings, "XUESHI_INVOICE", None) or {}
    if not values["url"] and tutor.get("PROVIDER") == "baiwang":
        values.update(url=BAIWANG_PRODUCTION_URL)
        for name in ("APP_KEY", "APP_SECRET", "USERNAME", "PASSWORD"):
            values[name.lower()] = str(tutor.get(name) or "")
    return values


def timeout() -> float:
    """Seconds to wait for the provider (``XUESHI_INVOICES_TIMEOUT``, 10)."""
    return float(str(_get("TIMEOUT", 10)))


def callback_base_url() -> str:
    """Scheme and host the provider calls back (``XUESHI_INVOICES_CALLBACK_BASE_URL``); empty = poll only."""
    return str(_get("CALLBACK_BASE_URL", "") or "").rstrip("/")


def redis_url() -> str:
    """Redis for the shared provider token (``XUESHI_INVOICES_REDIS_URL``, else the ledger's)."""
    return str(_get("REDIS_URL", "") or getattr(settings, "XUESHI_STUDYTIME_REDIS_URL", "") or "")


def retry_delays() -> list[int]:
    """Seconds between issuing attempts (``XUESHI_INVOICES_RETRY_DELAYS``); after the last: failed."""
    return [int(d) for d in (_get("RETRY_DELAYS", None) or [10, 30, 120, 600, 1800, 3600])]  # type: ignore[attr-defined]


def tutor_seller() -> dict[str, object] | None:
    """The seller basics Tutor renders into ``XUESHI_INVOICE`` (name, tax number, drawer, VAT rate).

    ``None`` unless name, tax number and drawer are all set: then the first invoice request creates
    the default seller from them, so a Tutor site needs no admin step before its first invoice.
    """
    tutor = getattr(settings, "XUESHI_INVOICE", None) or {}
    name, tax, drawer = (str(tutor.get(k) or "").strip() for k in ("SELLER_NAME", "TAX_NUMBER", "DRAWER"))
    if not (name and tax and drawer):
        return None
    rate = tutor.get("VAT_RATE", 3)
    return {
        "name": name[:100],
        "tax_number": tax.upper()[:20],
        "drawer": drawer[:20],
        "rate_bp": int(rate) * 100,
    }
