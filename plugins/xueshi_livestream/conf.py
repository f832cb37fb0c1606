"""Settings of ``xueshi_livestream``, read when used (so ``override_settings`` works).

The four an operator sets (the Tutor plugin writes them): ``XUESHI_LIVE_PROVIDER`` (``tencent`` or
``aliyun``), ``XUESHI_LIVE_PUSH_DOMAIN``, ``XUESHI_LIVE_PLAY_DOMAIN`` and ``XUESHI_LIVE_AUTH_KEY``.
The rest have defaults (docs/operators/live.md).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PROVIDERS = ("tencent", "aliyun")


def _get(name: str, default: Any) -> Any:
    return getattr(settings, f"XUESHI_LIVE_{name}", default)


def provider() -> str:
    """The live provider's adapter name (``XUESHI_LIVE_PROVIDER``; empty = live lessons are off)."""
    name = str(_get("PROVIDER", "") or "")
    if name and name not in PROVIDERS:
        raise ImproperlyConfigured(f"XUESHI_LIVE_PROVIDER must be one of {', '.join(PROVIDERS)}")
    return name


def push_domain() -> str:
    """Host (and port) the teacher's encoder pushes to (``XUESHI_LIVE_PUSH_DOMAIN``)."""
    return str(_get("PUSH_DOMAIN", ""))


def play_domain() -> str:
    """Host (and port) learners play from (``XUESHI_LIVE_PLAY_DOMAIN``)."""
    return str(_get("PLAY_DOMAIN", ""))


def auth_key() -> str:
    """The URL-signing key of the domains (``XUESHI_LIVE_AUTH_KEY``); a secret, never committed."""
    return str(_get("AUTH_KEY", ""))


def play_key() -> str:
    """The play domain's key when it differs from the push domain's (``XUESHI_LIVE_PLAY_KEY``)."""
    return str(_get("PLAY_KEY", "") or auth_key())


def callback_key() -> str:
    """The key the provider signs callbacks with (``XUESHI_LIVE_CALLBACK_KEY``, default the auth key)."""
    return str(_get("CALLBACK_KEY", "") or auth_key())


def app_name() -> str:
    """The provider's AppName path segment (``XUESHI_LIVE_APP``, ``live``)."""
    return str(_get("APP", "live"))


def play_scheme() -> str:
    """``https`` (``XUESHI_LIVE_PLAY_SCHEME``); the sandbox plays over ``http`` on loopback."""
    return str(_get("PLAY_SCHEME", "https"))


def play_ttl() -> int:
    """Seconds a learner's play URL stays valid (``XUESHI_LIVE_PLAY_TTL``, 2 hours)."""
    return int(_get("PLAY_TTL", 7200))


def push_ttl() -> int:
    """Seconds a teacher's push URL stays valid after the lesson's end (``XUESHI_LIVE_PUSH_TTL``, 1 hour)."""
    return int(_get("PUSH_TTL", 3600))


def aliyun_validity() -> int:
    """The Alibaba domain's signing validity period in seconds (``XUESHI_LIVE_ALIYUN_VALIDITY``, 1800).

    Alibaba adds the validity configured on the domain to the URL's timestamp; we sign with the
    timestamp ``expiry - validity`` so both sides agree on the same expiry.
    """
    return int(_get("ALIYUN_VALIDITY", 1800))


def callback_window() -> int:
    """Seconds a signed callback stays acceptable (``XUESHI_LIVE_CALLBACK_WINDOW``, 600 as Tencent's)."""
    return int(_get("CALLBACK_WINDOW", 600))


def recording_hosts() -> list[str]:
    """Hosts a recording URL may be fetched from (``XUESHI_LIVE_RECORDING_HOSTS``; default none)."""
    return [str(h) for h in _get("RECORDING_HOSTS", [])]


def api_key_id() -> str:
    """The provider's API key for stream-state queries (``XUESHI_LIVE_API_KEY_ID``); empty: no queries.

    Tencent's SecretId or Alibaba's AccessKey ID, best of a sub-account allowed only the live read APIs.
    """
    return str(_get("API_KEY_ID", ""))


def api_secret() -> str:
    """Its secret (``XUESHI_LIVE_API_SECRET``: SecretKey / AccessKey secret; never committed)."""
    return str(_get("API_SECRET", ""))


def api_endpoint() -> str:
    """The live API's host (``XUESHI_LIVE_API_ENDPOINT``; the provider's public one by default)."""
    default = "live.tencentcloudapi.com" if provider() == "tencent" else "live.aliyuncs.com"
    return str(_get("API_ENDPOINT", "") or default)


def api_protocol() -> str:
    """``https`` (``XUESHI_LIVE_API_PROTOCOL``); the sandbox answers over ``http`` on loopback."""
    return str(_get("API_PROTOCOL", "https"))


def api_region() -> str:
    """The API region (``XUESHI_LIVE_API_REGION``: ``ap-guangzhou`` Tencent, ``cn-shanghai`` Alibaba)."""
    default = "ap-guangzhou" if provider() == "tencent" else "cn-shanghai"
    return str(_get("API_REGION", "") or default)


def check_after() -> int:
    """Seconds an on-air stream goes unchecked before the provider is asked (``XUESHI_LIVE_CHECK_AFTER``)."""
    return int(_get("CHECK_AFTER", 60))


def start_margin() -> int:
    """Seconds before a lesson's start and after its end it may be on air (``XUESHI_LIVE_START_MARGIN``).

    Inside the schedule widened by it, a lesson not on air by our records is asked about (a start
    callback may have been lost, ADR 0358): teachers push early to test, and lessons overrun.
    """
    return int(_get("START_MARGIN", 1800))
