"""Accounts made for an employer's list that the order never paid for: deactivated, not deleted (ADR 0342).

An employer order creates accounts (with real names, through the identity app's import) for
listed learners who had none, before anyone pays. When the order closes unpaid (expired,
cancelled, closed at the provider or by an operator), those accounts are left with nothing to
study: ``deactivate_untouched`` turns off each one the order created that nobody has used, in the
same transaction as the order's move to ``closed`` (``orders.transition``):

- the account was created by this order's list (``EmployerUploadRow.created_account``);
- it has never signed in (``last_login`` empty), has no active enrolment anywhere, and is not a
  line of another order that is still open or paid (another purchaser may be paying for them);
- it is active and not staff.

Deactivated, never deleted: the account, its real-name profile and the row stay as the audit of
what the employer uploaded, and ``deactivated_at`` on the row says which close turned it off. If
money arrives after all and an operator accepts it (``closed → attention → paid``), the order's
move to ``paid`` turns those accounts back on (``reactivate``) before its learners are enrolled.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from xueshi_core import compat as core_compat

from . import states
from .employer_models import EmployerUploadRow
from .models import Order, OrderLine

log = logging.getLogger(__name__)


def _elsewhere(user: Any, order: Order) -> bool:
    """Whether the account is in use: signed in, enrolled, or on another order that may still pay."""
    if user.last_login is not None or user.is_staff or not user.is_active:
        return True
    other = OrderLine.objects.filter(learner=user).exclude(order=order).exclude(order__state=states.CLOSED)
    return other.exists() or bool(core_compat.enrollments_of(user))


def deactivate_untouched(order: Order) -> int:
    """Deactivate the unused accounts this unpaid order's list created; return how many."""
    rows = EmployerUploadRow.objects.filter(
        upload__order=order, created_account=True, learner__isnull=False, deactivated_at__isnull=True
    ).select_related("learner")
    done, now = 0, timezone.now()
    for row in rows:
        user = row.learner
        if _elsewhere(user, order):
            continue
        user.is_active = False
        user.save(update_fields=["is_active"])
        row.deactivated_at = now
        row.save(update_fields=["deactivated_at"])
        done += 1
    if done:
        log.info("order %s closed unpaid: %s accounts made for its list deactivated", order.order_no, done)
    return done


def reactivate(order: Order) -> int:
    """Turn back on the accounts this order's close turned off (money arrived after all)."""
    rows = EmployerUploadRow.objects.filter(upload__order=order, deactivated_at__isnull=False)
    users = list(rows.values_list("learner_id", flat=True))
    for user in get_user_model().objects.filter(pk__in=users, is_active=False):
        user.is_active = True
        user.save(update_fields=["is_active"])
    return rows.update(deactivated_at=None)
