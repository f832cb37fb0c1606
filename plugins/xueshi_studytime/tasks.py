"""Celery tasks: the ledger flusher, run by celery beat every 5 s (``CELERYBEAT_SCHEDULE``)."""

from __future__ import annotations

from celery import shared_task

from .flusher import flush


@shared_task(name="xueshi_studytime.tasks.flush_ledger", ignore_result=True)
def flush_ledger() -> int:
    """Write pending ledger events to MariaDB; safe to run concurrently and to repeat."""
    return flush()
