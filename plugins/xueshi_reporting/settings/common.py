"""Common settings for ``xueshi_reporting``: defaults an operator may override, and the beat sweep."""

from __future__ import annotations

from datetime import timedelta
from typing import Any


def plugin_settings(settings: Any) -> None:
    """Set this app's defaults where the deployment has not set them (docs/operators/reporting.md)."""
    for name, value in {
        "XUESHI_REPORTING_OUTBOX": True,
        "XUESHI_REPORTING_SECRETS": {},
        "XUESHI_REPORTING_LEASE_SECONDS": 120,
        "XUESHI_REPORTING_BACKOFF_SECONDS": 10,
        "XUESHI_REPORTING_BACKOFF_CAP_SECONDS": 3600,
        "XUESHI_REPORTING_XLSX_DIR": "",
        "XUESHI_REPORTING_URLS": {},
        "XUESHI_REPORTING_HOLD_UNTIL_CONFIRMED": False,
        "XUESHI_REPORTING_ACCOUNTANT_CATEGORIES": ("accounting",),
        "XUESHI_REPORTING_CLASS_POLL_SECONDS": 300,
        "XUESHI_REPORTING_RECHECK_SECONDS": 7200,
        "XUESHI_REPORTING_RECHECK_BATCH": 500,
    }.items():
        if not hasattr(settings, name):
            setattr(settings, name, value)
    schedule = getattr(settings, "CELERYBEAT_SCHEDULE", None)
    if schedule is None:
        schedule = settings.CELERYBEAT_SCHEDULE = {}
    schedule["xueshi-reporting-sweep"] = {
        "task": "xueshi_reporting.tasks.sweep",
        "schedule": timedelta(seconds=30),
    }
    schedule["xueshi-reporting-recheck"] = {
        "task": "xueshi_reporting.tasks.recheck_registers",
        "schedule": timedelta(minutes=10),
    }
