"""Non-secret data keys for development and tests, derived at run time from ``SECRET_KEY``.

Derived rather than random so that every process of one site (web server, Celery worker, test
live server) agrees, and data encrypted yesterday in the sandbox still decrypts today. Never
used in production: the production layer does not call this, and Tutor generates real keys.
"""

from __future__ import annotations

import hashlib
from typing import Any


def _derive(secret_key: str, label: str) -> str:
    return hashlib.sha256(f"xueshi-dev-only:{label}:{secret_key}".encode()).hexdigest()


def fill_missing_data_keys(settings: Any) -> None:
    """Give ``XUESHI_DATA_KEYS`` and ``XUESHI_DATA_HASH_KEY`` development values if none are set."""
    secret_key = str(getattr(settings, "SECRET_KEY", "") or "xueshi-dev")
    if not getattr(settings, "XUESHI_DATA_KEYS", None):
        settings.XUESHI_DATA_KEYS = [_derive(secret_key, "data-key")]
    if not getattr(settings, "XUESHI_DATA_HASH_KEY", ""):
        settings.XUESHI_DATA_HASH_KEY = _derive(secret_key, "hash-key")
