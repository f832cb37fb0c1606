"""Common settings for ``xueshi_invoices``: defaults and the beat sweep."""

from __future__ import annotations

from datetime import timedelta
from typing import Any


def plugin_settings(settings: Any) -> None:
    """Defaults, all optional; production sets the provider and callback URL (docs/operators/invoices.md)."""
    for name, value in {
        "XUESHI_INVOICES_NUONUO_URL": "",
        "XUESHI_INVOICES_NUONUO_APP_KEY": "",
        "XUESHI_INVOICES_NUONUO_APP_SECRET": "",
        "XUESHI_INVOICES_CALLBACK_BASE_URL": "",
    }.items():
        if not hasattr(settings, name):
            setattr(settings, name, value)
    schedule = getattr(settings, "CELERYBEAT_SCHEDULE", None)
    if schedule is None:
        schedule = settings.CELERYBEAT_SCHEDULE = {}
    schedule["xueshi-invoices-sweep"] = {
        "task": "xueshi_invoices.tasks.sweep",
        "schedule": timedelta(minutes=1),
    }
