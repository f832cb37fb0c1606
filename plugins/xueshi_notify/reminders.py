"""Reminders of unmet yearly hours, sent a few set days before a learner's period ends.

Read through ``xueshi_hours.api`` (the account: required, earned, the period's end) and
``xueshi_identity.api`` (who has a profile). The dedupe key names the learner, the period and the
reminder day, so a beat run repeated on the same day (or a late one) sends each reminder once.
"""

from __future__ import annotations

import logging
from datetime import date

from django.contrib.auth import get_user_model

from xueshi_hours import api as hours_api
from xueshi_identity import api as identity_api

from . import conf
from .api import notify

log = logging.getLogger(__name__)


def _stage(days_left: int) -> int | None:
    """The reminder day due now: the smallest set day at or above ``days_left`` (None: not yet/over)."""
    if days_left < 0:
        return None
    due = [d for d in conf.reminder_days() if days_left <= d]
    return min(due) if due else None


def run(today: date) -> int:
    """Notify every learner with a profile whose current account is not met and whose end is near."""
    sent = 0
    users = get_user_model().objects.in_bulk(list(identity_api.current_regions().keys()))
    for user_id, user in users.items():
        try:
            account = hours_api.hour_account(user_id)
        except hours_api.HoursError:
            continue  # no rule for the learner: nothing to remind of
        days_left = (account.period_end - today).days
        stage = _stage(days_left)
        if account.met or stage is None:
            continue
        context = {
            "name": user.get_full_name() or user.username,
            "period": account.period_label,
            "earned": f"{account.earned_total:g}",
            "required": f"{account.required_total:g}",
            "end": account.period_end.isoformat(),
            "days": days_left,
        }
        key = f"hours_reminder:{user_id}:{account.period_start.isoformat()}:{stage}"
        notify(user, "hours_reminder", context, dedupe_key=key)
        sent += 1
    return sent
