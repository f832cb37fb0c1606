"""Common settings for ``xueshi_stats`` (platform ``add_plugins(..., SettingsType.COMMON)``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

ROLL_UP_TASK = "xueshi_stats.tasks.roll_up"
EXPIRE_TASK = "xueshi_stats.tasks.expire_export_files"
CLOSE_TASK = "xueshi_stats.tasks.close_periods"


def plugin_settings(settings: Any) -> None:
    """Defaults; operators override them in production settings or Tutor patches."""
    settings.XUESHI_STATS_PASS_PERCENT = 60
    settings.XUESHI_STATS_OVERLAP_ROWS = 2000
    settings.XUESHI_STATS_BATCH_ROWS = 5000
    settings.XUESHI_STATS_MAX_PAGE_SIZE = 200
    settings.XUESHI_STATS_MAX_PERIOD_DAYS = 366 * 6
    # Export files hold learners' (masked) rows: kept 30 days for download; the job row, the
    # record of who exported what, stays for XUESHI_RETENTION_YEARS (ADR 0158).
    settings.XUESHI_STATS_EXPORT_FILE_DAYS = 30
    # Ended periods are counted once, this many hours after their last China day (ADR 0304).
    settings.XUESHI_STATS_CLOSE_AFTER_HOURS = 2
    settings.XUESHI_STATS_CLOSE_RECENT_DAYS = 35
    settings.XUESHI_STATS_CLOSE_BATCH = 4
    schedule = getattr(settings, "CELERYBEAT_SCHEDULE", None)
    if schedule is None:
        schedule = settings.CELERYBEAT_SCHEDULE = {}
    schedule["xueshi-stats-roll-up"] = {"task": ROLL_UP_TASK, "schedule": timedelta(seconds=60)}
    schedule["xueshi-stats-expire-export-files"] = {"task": EXPIRE_TASK, "schedule": timedelta(hours=6)}
    schedule["xueshi-stats-close-periods"] = {"task": CLOSE_TASK, "schedule": timedelta(hours=1)}
