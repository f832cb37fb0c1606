"""Enrolment follows payment: each paid line is enrolled exactly once, through the platform.

Locks are always taken order first, then line (as refunds take them), so enrolment, refunds and
notices never deadlock. A line is enrolled inside its locked transaction and marked in the same
commit, so two workers (a notice and the beat's retry) cannot both enrol it, and a crash before
the commit leaves it for the retry. The platform's ``CourseEnrollmentStarted`` filter runs as for
any enrolment; our own step (``pipeline``) lets it through because the line is paid.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from xueshi_core import compat as core_compat

from . import orders, states
from .models import Order, OrderLine

log = logging.getLogger(__name__)
#: Paid lines the platform still refuses this long after payment put the order in "needs attention".
GIVE_UP_AFTER = timedelta(hours=1)


def enrol_line(line_id: int) -> bool:
    """Enrol one line if its order's money is with us and it is not enrolled yet; True if enrolled now."""
    with transaction.atomic():
        line = OrderLine.objects.filter(pk=line_id).only("order_id").first()
        if line is None:
            return False
        order = Order.objects.select_for_update().get(pk=line.order_id)
        line = OrderLine.objects.select_for_update().select_related("learner").get(pk=line_id)
        if line.enrolled_at is not None or order.state not in states.MONEY_RECEIVED:
            return False
        try:
            with transaction.atomic():
                core_compat.enroll(line.learner, line.course_key, mode=line.mode)
        except Exception as exc:
            log.warning("enrolling line %s of %s failed: %s", line.pk, order.order_no, exc)
            line.enrol_error = str(exc)[:255] or exc.__class__.__name__
            line.save(update_fields=["enrol_error"])
            return False
        line.enrolled_at, line.enrol_error = timezone.now(), ""
        line.save(update_fields=["enrolled_at", "enrol_error"])
        return True


def enrol_order(order_no: str) -> bool:
    """Enrol every line of a paid order; mark it fulfilled when all are. True when fulfilled."""
    ids = list(
        OrderLine.objects.filter(order__order_no=order_no, enrolled_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    for line_id in ids:
        enrol_line(line_id)
    with transaction.atomic():
        order = orders.locked(order_no)
        if order is None:
            return False
        waiting = order.lines.filter(enrolled_at__isnull=True)
        if order.state == states.PAID and not waiting.exists():
            orders.transition(order, states.FULFILLED, "every line enrolled")
        elif order.state == states.PAID and order.paid_at and order.paid_at < timezone.now() - GIVE_UP_AFTER:
            refused = waiting.exclude(enrol_error="").first()
            if refused is not None:
                # The platform keeps refusing (course gone, enrolment closed): an operator decides.
                order.attention_reason = f"enrolment refused: {refused.enrol_error}"[:255]
                order.save(update_fields=["attention_reason"])
                orders.transition(order, states.ATTENTION, order.attention_reason)
        return order.state == states.FULFILLED


def stuck_orders(older_than: timedelta | None = None) -> list[str]:
    """Paid orders with lines not enrolled (a worker died, or the platform refused for a while)."""
    queryset = Order.objects.filter(state=states.PAID)
    if older_than is not None:
        queryset = queryset.filter(paid_at__lt=timezone.now() - older_than)
    return list(queryset.values_list("order_no", flat=True)[:200])


def unenrol_lines(order: Order) -> int:
    """Unenrol every enrolled line of a fully refunded order (caller holds the order lock)."""
    count = 0
    for line in (
        order.lines.select_for_update()
        .select_related("learner")
        .filter(enrolled_at__isnull=False, unenrolled_at__isnull=True)
    ):
        core_compat.unenroll(line.learner, line.course_key)
        line.unenrolled_at = timezone.now()
        line.save(update_fields=["unenrolled_at"])
        count += 1
    return count
