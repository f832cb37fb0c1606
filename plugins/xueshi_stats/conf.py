"""Settings of ``xueshi_stats``, read when used (plugin apps load before settings are final)."""

from __future__ import annotations

from django.conf import settings


def pass_percent() -> int:
    """The exam score that counts a course completed until the hours app decides it (ADR 0150)."""
    return int(getattr(settings, "XUESHI_STATS_PASS_PERCENT", 60))


def overlap_rows() -> int:
    """Source rows below the high-water mark read again each run (late commits, ADR 0150)."""
    return int(getattr(settings, "XUESHI_STATS_OVERLAP_ROWS", 2000))


def batch_rows() -> int:
    """Source rows read per batch of a roll-up run."""
    return int(getattr(settings, "XUESHI_STATS_BATCH_ROWS", 5000))


def max_page_size() -> int:
    """The largest page of learners a list returns."""
    return int(getattr(settings, "XUESHI_STATS_MAX_PAGE_SIZE", 200))


def max_period_days() -> int:
    """The longest period a figure may cover (the regulators' retention, 5 years, plus slack)."""
    return int(getattr(settings, "XUESHI_STATS_MAX_PERIOD_DAYS", 366 * 6))


def roll_up_on_read() -> bool:
    """Roll up before each page (the sandbox without a Celery beat); never in production."""
    return bool(getattr(settings, "XUESHI_STATS_ROLL_UP_ON_READ", False))


def export_inline_rows() -> int:
    """Exports of at most this many rows are written while the request waits; larger ones by Celery."""
    return int(getattr(settings, "XUESHI_STATS_EXPORT_INLINE_ROWS", 5000))


def export_file_days() -> int:
    """Days a finished export's file is kept for download; the job row, the record, stays (ADR 0158)."""
    return max(1, int(getattr(settings, "XUESHI_STATS_EXPORT_FILE_DAYS", 30)))


def close_after_hours() -> int:
    """Hours after an ended period's last China day before it is counted (the roll-up's late rows)."""
    return max(0, int(getattr(settings, "XUESHI_STATS_CLOSE_AFTER_HOURS", 2)))


def close_recent_days() -> int:
    """Single days counted as closed periods: the last this many (weeks, months, years: all kept)."""
    return max(0, int(getattr(settings, "XUESHI_STATS_CLOSE_RECENT_DAYS", 35)))


def close_batch() -> int:
    """Periods one beat run counts at most (each is one cohort pass: 16 s at 1,000,000 learners)."""
    return max(1, int(getattr(settings, "XUESHI_STATS_CLOSE_BATCH", 4)))
