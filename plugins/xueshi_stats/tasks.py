"""Celery task: the roll-up run, by celery beat every minute (``CELERYBEAT_SCHEDULE``)."""

from __future__ import annotations

from celery import shared_task

from . import rollup


@shared_task(name="xueshi_stats.tasks.roll_up", ignore_result=True)
def roll_up() -> dict[str, int]:
    """Bring the roll-ups up to every source's newest row; safe to run concurrently and to repeat."""
    return rollup.run()
