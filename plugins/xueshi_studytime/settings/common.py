"""Common settings for ``xueshi_studytime`` (platform ``add_plugins(..., SettingsType.COMMON)``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

FLUSH_TASK = "xueshi_studytime.tasks.flush_ledger"
HOT_ROUTES_MIDDLEWARE = "xueshi_studytime.routing.HotRoutesMiddleware"


def install_middleware(settings: Any) -> None:
    """Append the hot-routes middleware once (ADR 0708), whichever settings layer runs last."""
    middleware = list(getattr(settings, "MIDDLEWARE", []) or [])
    if HOT_ROUTES_MIDDLEWARE not in middleware:
        settings.MIDDLEWARE = [*middleware, HOT_ROUTES_MIDDLEWARE]


def plugin_settings(settings: Any) -> None:
    """Defaults; operators override them in production settings (``ENV_TOKENS``) or Tutor patches."""
    settings.XUESHI_STUDYTIME_HEARTBEAT_SECONDS = 30
    settings.XUESHI_STUDYTIME_ANTI_IDLE_SECONDS = 900
    # "takeover": a new playback of the account stops the old one; "refuse": the new one is refused.
    # None: follow the device rule, XUESHI_ACCESS_CONCURRENT_LOGIN (takeover when that app is absent).
    settings.XUESHI_STUDYTIME_LEASE_POLICY = None
    # Signing keys for session tokens, newest first; empty = derived from SECRET_KEY.
    settings.XUESHI_STUDYTIME_TOKEN_KEYS = []
    settings.XUESHI_STUDYTIME_TOKEN_TTL_SECONDS = 8 * 3600
    # Hot state; empty = an in-process fake Redis (development only, logged as a warning).
    settings.XUESHI_STUDYTIME_REDIS_URL = ""
    settings.XUESHI_STUDYTIME_REDIS_PREFIX = "xst"
    settings.XUESHI_STUDYTIME_SHARDS = 1
    settings.XUESHI_STUDYTIME_FLUSH_INLINE = False
    settings.XUESHI_STUDYTIME_FLUSH_BATCH_SIZE = 500
    settings.XUESHI_STUDYTIME_JITTER_SECONDS = 1.0
    # Session opening per learner: a burst of this many, then one per OPEN_REFILL_SECONDS (0 = off).
    settings.XUESHI_STUDYTIME_OPEN_BURST = 10
    settings.XUESHI_STUDYTIME_OPEN_REFILL_SECONDS = 6
    # Media delivery proof (ADR 0052, 0053; docs/operators/media-proof.md): off until a verifying
    # media server (issue 24's signed delivery) serves the videos under these URL prefixes.
    settings.XUESHI_STUDYTIME_MEDIA_SIGNED_PREFIXES = []
    settings.XUESHI_STUDYTIME_MEDIA_PROOF = False
    settings.XUESHI_STUDYTIME_DELIVERY_SLACK_SECONDS = 30.0
    settings.XUESHI_STUDYTIME_DELIVERY_SLACK_FRACTION = 0.01
    install_middleware(settings)
    schedule = getattr(settings, "CELERYBEAT_SCHEDULE", None)
    if schedule is None:
        schedule = settings.CELERYBEAT_SCHEDULE = {}
    schedule["xueshi-studytime-flush-ledger"] = {"task": FLUSH_TASK, "schedule": timedelta(seconds=5)}
