"""Common settings of ``xueshi_access`` (platform ``add_plugins(..., SettingsType.COMMON)``).

Installs ``DeviceMiddleware`` at the end of ``MIDDLEWARE`` (after sessions, authentication and
the JWT cookie middleware) and the ``StudentLoginRequested`` pipeline step, and schedules the
daily purge and the minutely copy of last-seen times to MariaDB. Operators set the
``XUESHI_ACCESS_*`` values in production settings, ``lms.env.yml`` or the Tutor plugin's config.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

MIDDLEWARE = "xueshi_access.middleware.DeviceMiddleware"
FILTER_TYPE = "org.openedx.learning.student.login.requested.v1"
FILTER_STEP = "xueshi_access.pipeline.GuardSignIn"
PURGE_TASK = "xueshi_access.tasks.purge_audit"
LAST_SEEN_TASK = "xueshi_access.tasks.save_last_seen"
REPLAY_TASK = "xueshi_access.tasks.replay_audit_spool"


def install(settings: Any) -> None:
    """Add the middleware and the login filter step, idempotently (YAML may replace the filter dict)."""
    middleware = list(getattr(settings, "MIDDLEWARE", []) or [])
    if MIDDLEWARE not in middleware:
        settings.MIDDLEWARE = [*middleware, MIDDLEWARE]
    filters = dict(getattr(settings, "OPEN_EDX_FILTERS_CONFIG", {}) or {})
    entry = dict(filters.get(FILTER_TYPE) or {"fail_silently": False, "pipeline": []})
    pipeline = list(entry.get("pipeline") or [])
    if FILTER_STEP not in pipeline:
        pipeline.append(FILTER_STEP)
    entry["pipeline"] = pipeline
    entry["fail_silently"] = False  # a lock or a refusal must stop the sign-in, not be logged and skipped
    filters[FILTER_TYPE] = entry
    settings.OPEN_EDX_FILTERS_CONFIG = filters


def plugin_settings(settings: Any) -> None:
    """Defaults; see docs/operators/access.md for what each one does."""
    settings.XUESHI_ACCESS_SINGLE_DEVICE = True
    settings.XUESHI_ACCESS_CONCURRENT_LOGIN = "takeover"  # or "refuse"
    settings.XUESHI_ACCESS_ACTIVE_SECONDS = 1800
    settings.XUESHI_ACCESS_DEVICE_IDLE_SECONDS = 28 * 86400
    settings.XUESHI_ACCESS_EXEMPT_USERNAMES = []
    settings.XUESHI_ACCESS_TRUSTED_PROXIES = []
    settings.XUESHI_ACCESS_AUDIT_RETENTION_DAYS = 5 * 365 + 1
    settings.XUESHI_ACCESS_FAILURE_WINDOW_SECONDS = 900
    settings.XUESHI_ACCESS_ACCOUNT_FAILURE_LIMIT = (
        None  # None: the platform's MAX_FAILED_LOGIN_ATTEMPTS_ALLOWED
    )
    settings.XUESHI_ACCESS_IP_FAILURE_LIMIT = 30
    settings.XUESHI_ACCESS_LOCKOUT_SECONDS = None  # None: MAX_FAILED_LOGIN_ATTEMPTS_LOCKOUT_PERIOD_SECS
    settings.XUESHI_ACCESS_LOGIN_PATHS = [
        "/login_ajax",
        "/login_ajax/",
        "/api/user/v1/account/login_session/",
        "/api/user/v2/account/login_session/",
        "/user_api/v1/account/login_session/",
        "/login/",
    ]
    settings.XUESHI_ACCESS_TOKEN_PATHS = ["/oauth2/access_token", "/oauth2/access_token/"]
    settings.XUESHI_ACCESS_EXCHANGE_PATHS = ["/oauth2/login/"]
    settings.XUESHI_ACCESS_SUSPICIOUS_ACCOUNTS_PER_IP = 5
    settings.XUESHI_ACCESS_SUSPICIOUS_IPS_PER_ACCOUNT = 5
    settings.XUESHI_ACCESS_SUSPICIOUS_WINDOW_DAYS = 7
    settings.XUESHI_ACCESS_JUMP_WINDOW_SECONDS = 3 * 3600
    settings.XUESHI_ACCESS_JUMP_MIN_KM = 800
    settings.XUESHI_ACCESS_IP2REGION_XDB = ""
    settings.XUESHI_ACCESS_REDIS_URL = ""
    settings.XUESHI_ACCESS_REDIS_PREFIX = "xac"
    # While Redis is down the device check cannot run: these paths get a 503 (study stops, nothing
    # is credited); other pages are served without the check and counted (ADR 0062).
    settings.XUESHI_ACCESS_FAIL_CLOSED_PREFIXES = ["/api/xueshi/studytime/", "/xueshi/face/api/"]
    install(settings)
    schedule = getattr(settings, "CELERYBEAT_SCHEDULE", None)
    if schedule is None:
        schedule = settings.CELERYBEAT_SCHEDULE = {}
    schedule["xueshi-access-purge-audit"] = {"task": PURGE_TASK, "schedule": timedelta(days=1)}
    # Expires with its period: a missed copy is caught up by the next one, never replayed twice.
    schedule["xueshi-access-save-last-seen"] = {
        "task": LAST_SEEN_TASK,
        "schedule": timedelta(minutes=1),
        "options": {"expires": 60},
    }
    # Audit rows the database refused wait in XUESHI_SPOOL_DIR; replay them (ADR 0062).
    schedule["xueshi-access-replay-audit-spool"] = {
        "task": REPLAY_TASK,
        "schedule": timedelta(minutes=5),
        "options": {"expires": 300},
    }
