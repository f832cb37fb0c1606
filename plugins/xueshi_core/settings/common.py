"""Defaults for ``xueshi_core``, applied by the platform's ``add_plugins(..., SettingsType.COMMON)``."""

from __future__ import annotations

from typing import Any

MIDDLEWARE = "xueshi_core.middleware.BadInputMiddleware"


def install_middleware(settings: Any) -> None:
    """Append ``BadInputMiddleware`` once (refused input is a 4xx in every plain view, ADR 0020)."""
    middleware = list(getattr(settings, "MIDDLEWARE", []) or [])
    if MIDDLEWARE not in middleware:
        settings.MIDDLEWARE = [*middleware, MIDDLEWARE]


def plugin_settings(settings: Any) -> None:
    """Set Xueshi-wide defaults; operators override them in production settings or Tutor patches."""
    # Days for study-hour totals are Chinese calendar days, whatever the server's TIME_ZONE.
    settings.XUESHI_TIME_ZONE = "Asia/Shanghai"
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
    install_middleware(settings)
