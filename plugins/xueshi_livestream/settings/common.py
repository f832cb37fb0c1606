"""Common settings for ``xueshi_livestream``: every ``XUESHI_LIVE_*`` is optional (``conf.py``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any


def plugin_settings(settings: Any) -> None:
    """Defaults an operator may override: no provider (live lessons off) until one is configured.

    Module-level reads of settings would see only defaults (plugin apps load before settings),
    so ``conf.py`` reads them when used; only the beat's stream-state check is declared here.
    """
    if not hasattr(settings, "XUESHI_LIVE_PROVIDER"):
        settings.XUESHI_LIVE_PROVIDER = ""
    schedule = getattr(settings, "CELERYBEAT_SCHEDULE", None)
    if schedule is None:
        schedule = settings.CELERYBEAT_SCHEDULE = {}
    # Streams on air by our records, and lessons in their slot off air by our records, are checked
    # against the provider's state at least every minute (lost stop and start callbacks, ADR 0356,
    # 0358); without API keys (XUESHI_LIVE_API_KEY_ID) the task does nothing.
    schedule["xueshi-live-check-on-air"] = {
        "task": "xueshi_livestream.tasks.check_on_air",
        "schedule": timedelta(seconds=30),
    }
