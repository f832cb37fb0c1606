"""Celery tasks: the roll-up run (beat, every minute), exports, and counting closed periods (hourly)."""

from __future__ import annotations

from celery import shared_task

from . import rollup


@shared_task(name="xueshi_stats.tasks.roll_up", ignore_result=True)
def roll_up() -> dict[str, int]:
    """Bring the roll-ups up to every source's newest row; safe to run concurrently and to repeat."""
    return rollup.run()


@shared_task(name="xueshi_stats.tasks.export", ignore_result=True, acks_late=True)
def export(job_id: int) -> None:
    """Write one export job's file (ADR 0154); a job whose worker died is written again from the start."""
    from . import exports

    exports.write(job_id)


@shared_task(name="xueshi_stats.tasks.expire_export_files", ignore_result=True)
def expire_export_files() -> int:
    """Daily (``CELERYBEAT_SCHEDULE``): delete export files past ``XUESHI_STATS_EXPORT_FILE_DAYS``."""
    from . import exports

    return exports.expire_files()


@shared_task(name="xueshi_stats.tasks.close_periods", ignore_result=True)
def close_periods() -> list[str]:
    """Hourly (``CELERYBEAT_SCHEDULE``): count ended periods whose late data has settled (ADR 0304)."""
    from . import closing

    return closing.run()
