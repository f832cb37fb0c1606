"""Celery tasks: issue a request, advance a red form, and the beat sweep that resumes anything overdue.

A task that dies mid-way loses nothing: the state and ``next_try_at`` are in the database, and the
sweep (every minute) runs every overdue step again; a step is safe to repeat (stable serials,
E9106 answered by a query, unique invoice serials). In eager mode (tests, a sandbox without a
broker) waiting steps are not re-queued from inside a task; the sweep or the caller drives them.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import current_app, shared_task
from django.utils import timezone

from . import issuing, redletter
from .models import InvoiceRequest, RedForm

log = logging.getLogger(__name__)
SWEEP_TASK = "xueshi_invoices.tasks.sweep"


def _eager() -> bool:
    return bool(current_app.conf.task_always_eager)


def _again(task: Any, pk: int, row_state: str, waiting: tuple[str, ...], model: Any) -> None:
    """Queue the next step at the row's ``next_try_at``, on the queue this one came from."""
    if _eager() or row_state not in waiting:
        return
    due = model.objects.filter(pk=pk).values_list("next_try_at", flat=True).first()
    countdown = max(1, int((due - timezone.now()).total_seconds())) if due else 5
    queue = (task.request.delivery_info or {}).get("routing_key") or None
    task.apply_async(args=(pk,), countdown=countdown, queue=queue)


@shared_task(bind=True, name="xueshi_invoices.tasks.issue_request", acks_late=True)
def issue_request(self: Any, request_id: int) -> str:
    """One step of a blue invoice; re-queued while it waits."""
    state = issuing.step(request_id)
    _again(self, request_id, state, (InvoiceRequest.QUEUED, InvoiceRequest.SUBMITTED), InvoiceRequest)
    return state


@shared_task(bind=True, name="xueshi_invoices.tasks.advance_red", acks_late=True)
def advance_red(self: Any, red_id: int) -> str:
    """One step of a red form; re-queued while it waits."""
    state = redletter.step(red_id)
    waiting = (RedForm.REQUESTED, RedForm.CONFIRMED, RedForm.SUBMITTED)
    _again(self, red_id, state, waiting, RedForm)
    return state


def enqueue_request(request_id: int) -> None:
    """Queue the first step (after the request is committed); if that fails, the sweep runs it."""
    try:
        issue_request.delay(request_id)
    except Exception:  # broker down, or the eager step failed: the row is due, the sweep retries
        log.exception("could not start issuing request %s; the sweep will", request_id)


def enqueue_red(red_id: int) -> None:
    """Queue a red form's first step; if that fails, the sweep runs it."""
    try:
        advance_red.delay(red_id)
    except Exception:  # as above
        log.exception("could not start red form %s; the sweep will", red_id)


@shared_task(name=SWEEP_TASK)
def sweep(limit: int = 200) -> int:
    """Run every overdue step once (dead workers, lost callbacks, eager mode); return how many."""
    now = timezone.now()
    ids = list(
        InvoiceRequest.objects.filter(
            state__in=(InvoiceRequest.QUEUED, InvoiceRequest.SUBMITTED), next_try_at__lte=now
        ).values_list("pk", flat=True)[:limit]
    )
    reds = list(
        RedForm.objects.filter(
            state__in=(RedForm.REQUESTED, RedForm.CONFIRMED, RedForm.SUBMITTED), next_try_at__lte=now
        ).values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        issuing.step(pk)
    for pk in reds:
        redletter.step(pk)
    return len(ids) + len(reds)
