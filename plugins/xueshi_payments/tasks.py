"""The beat task of payments: query unpaid orders, close expired ones, finish stuck enrolments and refunds.

One task every minute (``CELERYBEAT_SCHEDULE['xueshi-payments-sweep-orders']``), each part safe
to run twice or concurrently: every effect goes through ``process_event`` (unique events, order
locks), ``enrolment.enrol_order`` (line locks) or ``refunds.send_refund`` (same refund number).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from . import conf, enrolment, events, orders, refunds, states
from .channels import base, registry
from .models import Order

log = logging.getLogger(__name__)
SWEEP_TASK = "xueshi_payments.tasks.sweep_orders"
#: An unpaid online order is asked about at most this often (providers limit query rates).
QUERY_EVERY = timedelta(minutes=2)


def query_order(order: Order) -> str:
    """Ask the provider about an unpaid order; a paid answer is applied like a notice."""
    channel = registry.get(order.channel)
    status = channel.query(order.order_no, **base.sent_args(order.provider_sent_at))
    Order.objects.filter(pk=order.pk).update(last_queried_at=timezone.now())
    if status.state not in ("paid", "refunded"):
        return status.state
    event = base.ProviderEvent(
        provider=order.channel,
        event_id=f"query:{status.provider_trade_no or order.order_no}",
        kind=base.PAID,
        order_no=order.order_no,
        amount_fen=status.amount_fen,
        # A query answers about our own merchant and app: the ids the channel is configured with.
        merchant_id=registry.expected_ids(order.channel)[0],
        app_id=registry.expected_ids(order.channel)[1],
        provider_trade_no=status.provider_trade_no,
        raw=status.raw,
    )
    return events.process_event(event)


def close_expired(order: Order) -> bool:
    """Close an expired unpaid order: query first (it may be paid), then close at the provider."""
    if query_order(order) in (events.PAID, events.ALREADY_PAID, events.MISMATCH):
        return False
    registry.get(order.channel).close(order.order_no, **base.sent_args(order.provider_sent_at))
    with transaction.atomic():
        locked = orders.locked(order.order_no)
        if locked is None or locked.state != states.PENDING:
            return False
        orders.transition(locked, states.CLOSED, "expired unpaid")
    return True


def sweep(now: datetime | None = None) -> dict[str, int]:
    """One pass; returns counts per part (for logs and tests)."""
    now = now or timezone.now()
    counts = {"queried": 0, "closed": 0, "enrolled": 0, "refunds": 0, "errors": 0}
    unpaid = Order.objects.filter(state=states.PENDING).order_by("expires_at")[:200]
    for order in unpaid:
        try:
            if order.expires_at <= now:
                counts["closed"] += int(close_expired(order))
            elif order.last_queried_at is None or order.last_queried_at < now - QUERY_EVERY:
                query_order(order)
                counts["queried"] += 1
        except (base.ChannelError, registry.UnknownChannel) as exc:
            counts["errors"] += 1
            log.warning("payments sweep: %s: %s", order.order_no, exc)
    for order_no in enrolment.stuck_orders(conf.retry_after()):
        counts["enrolled"] += int(enrolment.enrol_order(order_no))
    counts["refunds"] = refunds.retry_open_refunds()
    return counts


@shared_task(name=SWEEP_TASK, ignore_result=True)
def sweep_orders() -> dict[str, int]:
    """Celery entry point of :func:`sweep`."""
    return sweep()


# -- daily reconciliation (ADR 0138) -------------------------------------------------------------
RECONCILE_TASK = "xueshi_payments.tasks.reconcile_bills"
#: Beat entry for ``CELERYBEAT_SCHEDULE``: hourly, each run a no-op once the days are reconciled.
RECONCILE_BEAT = {"task": RECONCILE_TASK, "schedule": timedelta(hours=1)}
#: How many past Shanghai days the beat task keeps trying until their bills are reconciled.
RECONCILE_DAYS_BACK = 3


def reconcile_due(today: object = None) -> dict[str, str]:
    """Reconcile each bill channel's last few Shanghai days that have no successful run yet.

    Bills appear the next morning (WeChat Pay from about 10:00, Alipay after 09:00 Beijing time),
    so the task runs hourly and a day is retried until its bill arrives; a day already reconciled
    is never downloaded again by the beat (an operator re-runs it with ``xueshi_reconcile``).
    """
    from xueshi_core.days import china_day

    from . import reconciliation
    from .reconciliation_models import ReconRun

    today = today or china_day(timezone.now())
    done: dict[str, str] = {}
    for name in reconciliation.reconcilable_channels():
        for back in range(RECONCILE_DAYS_BACK, 0, -1):
            day = today - timedelta(days=back)  # type: ignore[operator]
            if ReconRun.objects.filter(channel=name, day=day, status=ReconRun.OK).exists():
                continue
            run = reconciliation.reconcile(name, day)
            done[f"{name}:{day.isoformat()}"] = f"{run.status}:{run.mismatch_count}"
    return done


@shared_task(name=RECONCILE_TASK, ignore_result=True)
def reconcile_bills() -> dict[str, str]:
    """Celery entry point of :func:`reconcile_due`."""
    return reconcile_due()
