"""Common settings for ``xueshi_notify``: defaults and the beat tasks (sweep, daily hours reminder)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any


def plugin_settings(settings: Any) -> None:
    """Defaults; production sets the SMS and WeChat accounts (docs/operators/notifications.md)."""
    for name, value in {"XUESHI_NOTIFY_SMS": {}, "XUESHI_NOTIFY_WECHAT": {}}.items():
        if not hasattr(settings, name):
            setattr(settings, name, value)
    schedule = getattr(settings, "CELERYBEAT_SCHEDULE", None)
    if schedule is None:
        schedule = settings.CELERYBEAT_SCHEDULE = {}
    schedule["xueshi-notify-sweep"] = {"task": "xueshi_notify.tasks.sweep", "schedule": timedelta(minutes=1)}
    # Every six hours whatever Celery's timezone: the dedupe key sends each reminder once, and a
    # missed run (beat down) is made up within hours rather than a day.
    schedule["xueshi-notify-hours-reminders"] = {
        "task": "xueshi_notify.tasks.remind_unmet_hours",
        "schedule": timedelta(hours=6),
    }
