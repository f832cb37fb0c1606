"""Defaults for ``xueshi_core``, applied by the platform's ``add_plugins(..., SettingsType.COMMON)``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

RETENTION_TASK = "xueshi_core.tasks.purge_past_retention"
OUTAGE_MIDDLEWARE = "xueshi_core.outage.RedisOutageMiddleware"
BAD_INPUT_MIDDLEWARE = "xueshi_core.middleware.BadInputMiddleware"


def install_middleware(settings: Any) -> None:
    """Append our two middlewares once, whichever settings layer runs last.

    Refused input is a 4xx in every plain view (ADR 0020); a Redis error escaping a view is a
    counted 503 with a clear message, not a 500 (ADR 0062).
    """
    middleware = list(getattr(settings, "MIDDLEWARE", []) or [])
    settings.MIDDLEWARE = middleware + [
        m for m in (OUTAGE_MIDDLEWARE, BAD_INPUT_MIDDLEWARE) if m not in middleware
    ]


def plugin_settings(settings: Any) -> None:
    """Set Xueshi-wide defaults; operators override them in production settings or Tutor patches."""
    # Days for study-hour totals are Chinese calendar days, whatever the server's TIME_ZONE.
    settings.XUESHI_TIME_ZONE = "Asia/Shanghai"
    # The settings layer applied last (common < production < devstack/test); each layer sets its own.
    settings.XUESHI_SETTINGS_LAYER = "common"
    # Dotted path of a module that stands in for edx-platform (the sandbox and tests set it).
    settings.XUESHI_PLATFORM_SHIM = None
    # Personal data at rest (xueshi_core.crypto): newest key first, every key decrypts. Empty here on
    # purpose: production gets generated keys from Tutor, development derives them (see devstack.py).
    settings.XUESHI_DATA_KEYS = []
    # HMAC key for exact lookups of personal data (one ID number = one account).
    settings.XUESHI_DATA_HASH_KEY = ""
    # Groups whose members may see full ID numbers and phones (every view audited); None = default.
    settings.XUESHI_PERSONAL_DATA_FULL_VIEW_GROUPS = None
    # gc.freeze() at these request numbers of each process: no ~160 ms pauses of the oldest
    # generation over the loaded application (xueshi_core.gcfreeze, ADR 0008). [] turns it off.
    settings.XUESHI_GC_FREEZE_AT_REQUESTS = [1, 1000]
    # Bounded Redis timeouts (xueshi_core.redisclients): an outage answers fast instead of hanging.
    settings.XUESHI_REDIS_CONNECT_TIMEOUT = 1.0
    settings.XUESHI_REDIS_SOCKET_TIMEOUT = 2.0
    # Records the database would not take wait here to be replayed (xueshi_core.spool). Point it at
    # a persistent volume in production (Tutor: under /openedx/data); "" = a temp folder.
    settings.XUESHI_SPOOL_DIR = ""
    # Reverse proxies whose X-Forwarded-For is believed (CIDRs, addresses or host names such as
    # Tutor's "caddy"); loopback only by default: never whole private ranges (xueshi_core.clientip).
    settings.XUESHI_TRUSTED_PROXIES = ["127.0.0.1/32", "::1/128"]
    # Cache holding each signed-in account's session auth hash for the caller check (ADR 0030).
    settings.XUESHI_CALLER_CACHE = "default"
    settings.XUESHI_CALLER_CACHE_SECONDS = 300
    # Who processes personal data, and how learners reach them: named in the PIPL consent notices
    # (xueshi_core.consent, ADR 0085). Operators set their organisation; "" names "the platform".
    settings.XUESHI_PRIVACY_CONTROLLER = ""
    settings.XUESHI_PRIVACY_CONTACT = ""
    # Whole years study, check and consent records are kept (需求 003: 5, 需求 004: 3; at least 3);
    # a daily job deletes or pseudonymises what is older (xueshi_core.retention, ADR 0064).
    settings.XUESHI_RETENTION_YEARS = 5
    schedule = getattr(settings, "CELERYBEAT_SCHEDULE", None)
    if schedule is None:
        schedule = settings.CELERYBEAT_SCHEDULE = {}
    schedule["xueshi-core-purge-past-retention"] = {"task": RETENTION_TASK, "schedule": timedelta(days=1)}
    install_middleware(settings)
