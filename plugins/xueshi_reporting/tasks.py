"""Celery tasks: deliver one destination's due batches, and the beat sweep (collect, then kick).

A delivery task that dies mid-batch loses nothing: its rows are *sending* with a deadline and fall
due again (``delivery``); the sweep starts a delivery for every destination with due rows.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import current_app, shared_task
from django.db import transaction
from django.utils import timezone

from . import classes, collect, conf, delivery, feed, registers
from .models import Delivery, Destination

log = logging.getLogger(__name__)
DELIVER_TASK, SWEEP_TASK = "xueshi_reporting.tasks.deliver", "xueshi_reporting.tasks.sweep"
REPLAY_TASK = "xueshi_reporting.tasks.replay_yesterday"
CHECK_TASK, DECLARE_TASK = "xueshi_reporting.tasks.check_register", "xueshi_reporting.tasks.declare_class"
START_CHECKS_TASK = "xueshi_reporting.tasks.start_checks"
RECHECK_TASK = "xueshi_reporting.tasks.recheck_registers"


@shared_task(name=CHECK_TASK)
def check_register(user_id: int, code: str, register: str, attempt: int = 1) -> str:
    """Ask a register about a learner; on a timeout or an untrusted answer ask again with backoff."""
    status = registers.run(user_id, code, register, attempt)
    if status is None:
        check_register.apply_async(
            args=(user_id, code, register, attempt + 1), countdown=conf.backoff_seconds(attempt)
        )
        return "retrying"
    return status


@shared_task(name=START_CHECKS_TASK)
def start_checks(user_id: int) -> int:
    """A learner's profile changed: ask the registers about changed facts (and hold, if set)."""
    with transaction.atomic():
        return registers.start(user_id)


@shared_task(name=RECHECK_TASK)
def recheck_registers() -> int:
    """Beat, every 10 minutes: ask again where a register check failed or stalled (ADR 0334)."""
    return registers.recheck(timezone.now())


@shared_task(name=DECLARE_TASK)
def declare_class(pk: int) -> None:
    """Hold the class's learners in its course and declare it (the sweep asks again on failure)."""
    classes.start(pk)


@shared_task(bind=True, name=DELIVER_TASK, acks_late=True)
def deliver(self: Any, code: str) -> int:
    """Send due batches of ``code``; queue itself again (same queue) while rows are due."""
    sent = delivery.run(code)
    if sent and not current_app.conf.task_always_eager and has_due(code):
        queue = (self.request.delivery_info or {}).get("routing_key") or None
        self.apply_async(args=(code,), queue=queue)
    return sent


def has_due(code: str) -> bool:
    """Whether the destination has rows due now."""
    return Delivery.objects.filter(
        destination__code=code,
        state__in=(Delivery.PENDING, Delivery.SENDING),
        next_try_at__lte=timezone.now(),
    ).exists()


@shared_task(name=SWEEP_TASK)
def sweep() -> int:
    """Collect new study days and certificates, then start a delivery per destination with due rows."""
    try:
        collect.run()
    except Exception:
        log.exception("reporting: a collector failed; the next sweep reads the same rows again")
    try:
        classes.sweep()
    except Exception:
        log.exception("reporting: asking about declared classes failed; the next sweep asks again")
    feed.sequence()
    kicked = 0
    for code in Destination.objects.filter(active=True).values_list("code", flat=True):
        if has_due(code):
            try:
                deliver.delay(code)
                kicked += 1
            except Exception:
                log.exception("reporting: could not queue delivery to %s", code)
    return kicked


@shared_task(name=REPLAY_TASK)
def replay_yesterday() -> int:
    """Nightly: yesterday's study days from the daily totals, in case the ledger cursor missed a row."""
    from datetime import timedelta

    from xueshi_core.days import china_day

    return collect.replay_day(china_day(timezone.now()) - timedelta(days=1))
