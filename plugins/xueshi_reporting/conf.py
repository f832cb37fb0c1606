"""Operator settings of reporting: destinations' secrets, timings, where xlsx batches go.

Secrets never sit in the database: ``XUESHI_REPORTING_SECRETS`` maps a destination code to its
keys (``hmac_key``, ``sm2_private``, ``sm2_public``, ``peer_sm2_public``, ``sm4_key``), and the
environment variable of the same name (JSON) overrides it, so a deployment keeps them in its
secret store (docs/operators/reporting.md).
"""

from __future__ import annotations

import json
import os
from typing import Any

from django.conf import settings

from .adapters.signing import Keys

#: The demo destination ``make sandbox`` points at the provincial sandbox (``demo.py``, ADR 0204).
DEMO_CODE = "sandbox-province"


def _setting(name: str, default: Any) -> Any:
    """A Django setting or its default."""
    return getattr(settings, name, default)


def secrets_map() -> dict[str, Any]:
    """Destination code → keys, from the environment (JSON) or the settings."""
    raw = os.environ.get("XUESHI_REPORTING_SECRETS", "")
    if raw:
        try:
            value = json.loads(raw)
            if isinstance(value, dict):
                return value
        except ValueError:
            pass
    return dict(_setting("XUESHI_REPORTING_SECRETS", {}) or {})


def keys_of(code: str) -> Keys:
    """The keys configured for destination ``code`` (empty ones when none are)."""
    value = secrets_map().get(code) or {}
    return Keys.from_mapping(value if isinstance(value, dict) else {})


def url_of(destination: Any) -> str:
    """The destination's address; ``XUESHI_REPORTING_URLS`` (code → URL) overrides the stored one."""
    return str((_setting("XUESHI_REPORTING_URLS", {}) or {}).get(destination.code) or destination.url)


def lease_seconds() -> float:
    """How long a worker owns a destination's batch before another may take it over (a dead worker)."""
    return float(
        os.environ.get("XUESHI_REPORTING_LEASE_SECONDS") or _setting("XUESHI_REPORTING_LEASE_SECONDS", 120)
    )


def backoff_seconds(attempts: int) -> float:
    """Wait before attempt ``attempts + 1``: doubling from the base, capped (an hour by default)."""
    base = float(
        os.environ.get("XUESHI_REPORTING_BACKOFF_SECONDS") or _setting("XUESHI_REPORTING_BACKOFF_SECONDS", 10)
    )
    cap = float(_setting("XUESHI_REPORTING_BACKOFF_CAP_SECONDS", 3600))
    return float(min(cap, base * (2 ** max(0, attempts - 1))))


def recheck_seconds() -> float:
    """How long after a failed (or stalled pending) register check it is asked again (ADR 0334)."""
    return float(_setting("XUESHI_REPORTING_RECHECK_SECONDS", 7200))


def recheck_batch() -> int:
    """How many learners one recheck run asks about (the rest wait for the next run)."""
    return int(_setting("XUESHI_REPORTING_RECHECK_BATCH", 500))


def xlsx_dir() -> str:
    """Where spreadsheet batches are written (default ``MEDIA_ROOT/reporting``)."""
    return str(
        _setting("XUESHI_REPORTING_XLSX_DIR", "")
        or os.path.join(str(getattr(settings, "MEDIA_ROOT", "") or "var"), "reporting")
    )


def enabled() -> bool:
    """The outbox switch (the benchmark measures the LMS write path with it off and on)."""
    return bool(_setting("XUESHI_REPORTING_OUTBOX", True))


def redis_url() -> str:
    """Redis for the API's rate limit (``XUESHI_REPORTING_REDIS_URL``, else the ledger's)."""
    return str(_setting("XUESHI_REPORTING_REDIS_URL", "") or _setting("XUESHI_STUDYTIME_REDIS_URL", "") or "")


def hold_until_confirmed() -> bool:
    """Whether study is held while a register check has not confirmed the learner (an operator setting)."""
    return bool(_setting("XUESHI_REPORTING_HOLD_UNTIL_CONFIRMED", False))


def accountant_categories() -> tuple[str, ...]:
    """Personnel categories whose learners are checked in the finance register (``accountant``)."""
    return tuple(_setting("XUESHI_REPORTING_ACCOUNTANT_CATEGORIES", ("accounting",)) or ())


def class_poll_seconds() -> float:
    """How often a declared class's approval is asked after (doubling, capped like delivery backoff)."""
    return float(_setting("XUESHI_REPORTING_CLASS_POLL_SECONDS", 300))
