"""Celery tasks of ``xueshi_livestream``: the recording fetch, and the beat's stream-state check.

The fetch runs off the callback's request; the check closes lessons whose stop callback was lost
and opens those whose start callback was lost (ADR 0356, 0358).
"""

from __future__ import annotations

from celery import shared_task


@shared_task(name="xueshi_livestream.tasks.fetch_recording", ignore_result=True)
def fetch_recording(stream_id: int) -> str:
    """Download an announced recording into the library (``recording.fetch``)."""
    from .recording import fetch

    return fetch(stream_id)


CHECK_TASK = "xueshi_livestream.tasks.check_on_air"


@shared_task(name=CHECK_TASK, ignore_result=True)
def check_on_air() -> dict[str, list[str]]:
    """Close lessons the provider says are off air, open those it says are live (``reconcile``)."""
    from .reconcile import check

    return check().as_dict()
