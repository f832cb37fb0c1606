"""Celery tasks: send a delivery (re-queued at its retry time), the sweep, reminders, projects told.

Lost task messages lose nothing: the rows are in the database and the sweep (every minute) sends
every due ``queued`` delivery and marks rows stuck in ``sending`` unconfirmed. In eager mode
(tests, a sandbox without a broker) a retry is not re-queued from inside the task; the sweep
drives it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from celery import current_app, shared_task
from django.utils import timezone

from . import conf, reminders, sending, training
from .models import Delivery

log = logging.getLogger(__name__)
SEND_TASK = "xueshi_notify.tasks.send_delivery"


@shared_task(bind=True, name=SEND_TASK, acks_late=True)
def send_delivery(self: Any, delivery_id: int) -> str:
    """Send one delivery; after a transient failure, queue the next try at its time."""
    state = sending.deliver(delivery_id)
    if state == Delivery.QUEUED and not current_app.conf.task_always_eager:
        due = Delivery.objects.filter(pk=delivery_id).values_list("next_try_at", flat=True).first()
        countdown = max(1, int((due - timezone.now()).total_seconds())) if due else 5
        queue = (self.request.delivery_info or {}).get("routing_key") or conf.queue()
        self.apply_async(args=(delivery_id,), countdown=countdown, queue=queue)
    return state


def enqueue(delivery_ids: Iterable[int]) -> None:
    """Queue each delivery (after commit); if the broker is down, the sweep sends them."""
    for pk in delivery_ids:
        try:
            send_delivery.apply_async(args=(pk,), queue=conf.queue())
        except Exception:  # broker down, or an eager send failed: the row stays due for the sweep
            log.exception("could not queue delivery %s; the sweep will", pk)


@shared_task(name="xueshi_notify.tasks.sweep")
def sweep(limit: int = 500) -> int:
    """Send every due queued delivery once, and mark abandoned ``sending`` rows; return how many sent."""
    sending.mark_unconfirmed()
    due = list(
        Delivery.objects.filter(state=Delivery.QUEUED, next_try_at__lte=timezone.now()).values_list(
            "pk", flat=True
        )[:limit]
    )
    due += list(
        Delivery.objects.filter(
            state=Delivery.QUEUED, next_try_at__isnull=True, created_at__lte=_a_minute_ago()
        ).values_list("pk", flat=True)[:limit]
    )
    for pk in due:
        sending.deliver(pk)
    return len(due)


def _a_minute_ago() -> Any:
    from datetime import timedelta

    return timezone.now() - timedelta(minutes=1)


@shared_task(name="xueshi_notify.tasks.remind_unmet_hours")
def remind_unmet_hours() -> int:
    """The daily beat: remind learners short of hours as their period's end nears; return how many."""
    return reminders.run(timezone.localdate())


ANNOUNCE_TASK = "xueshi_notify.tasks.announce_project"
BATCH_TASK = "xueshi_notify.tasks.tell_project_batch"


@shared_task(name=BATCH_TASK, acks_late=True)
def tell_project_batch(code: str, revision: str, user_ids: list[int]) -> int:
    """Notify one page of a training project's learners (idempotent: keyed per learner and fact)."""
    return training.tell(code, revision, user_ids)


def _queue_batch(code: str, revision: str, user_ids: list[int]) -> None:
    tell_project_batch.apply_async(args=(code, revision, user_ids), queue=conf.queue())


NEWCOMERS_TASK = "xueshi_notify.tasks.tell_newcomers"


@shared_task(name=NEWCOMERS_TASK, acks_late=True)
def tell_newcomers(user_ids: list[int]) -> int:
    """Learners in new regions hear of the open projects now targeting them (once per project)."""
    return training.tell_newcomers(user_ids)


@shared_task(name=ANNOUNCE_TASK, acks_late=True)
def announce_project(code: str, revision: str) -> int:
    """Split a training project's audience into batch tasks; return how many learners."""
    return training.announce(code, revision, _queue_batch)
