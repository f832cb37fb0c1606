"""Celery tasks of ``xueshi_livestream``: the recording fetch runs off the callback's request."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="xueshi_livestream.tasks.fetch_recording", ignore_result=True)
def fetch_recording(stream_id: int) -> str:
    """Download an announced recording into the library (``recording.fetch``)."""
    from .recording import fetch

    return fetch(stream_id)
