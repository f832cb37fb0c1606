"""Celery tasks of ``xueshi_certificates``: batch issuing of a year's certificates, with progress."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="xueshi_certificates.tasks.issue_year")
def issue_year(batch_id: int) -> dict[str, int]:
    """Issue every met account's certificate for the batch's year (``batches.run``); idempotent."""
    from .batches import run

    return run(batch_id)
