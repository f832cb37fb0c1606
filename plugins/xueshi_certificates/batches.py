"""Batch issuing for a year: one ``IssueBatch`` row with counts that the operator's page polls.

Idempotent: a learner who already holds the year's certificate is counted as ``existing``, so
re-running a batch (after a crash, or to catch late completions) issues only what is missing.
Counts are saved every ``SAVE_EVERY`` learners and at the end; each certificate is its own
transaction, so a worker that dies loses no certificate and a re-run finishes the job.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from .issuing import NotEligible, issue_for_account
from .models import IssueBatch

log = logging.getLogger(__name__)
SAVE_EVERY = 20


def start(period_year: int, *, region_prefix: str = "", actor: Any = None) -> IssueBatch:
    """Create a batch and queue its task (after commit, so the worker finds the row)."""
    from .tasks import issue_year

    batch = IssueBatch.objects.create(
        period_year=period_year,
        region_prefix=region_prefix,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    transaction.on_commit(lambda: issue_year.delay(batch.pk))
    return batch


def _default_sources(batch: IssueBatch) -> tuple[Iterable[int], Callable[[int], Any]]:
    from xueshi_hours import api as hours

    users = hours.learners_meeting(batch.period_year, region_prefix=batch.region_prefix)
    return users, lambda user_id: hours.hour_account(user_id, batch.period_year)


def run(
    batch_id: int,
    *,
    users: Iterable[int] | None = None,
    account_of: Callable[[int], Any] | None = None,
) -> dict[str, int]:
    """Work through the batch; ``users`` and ``account_of`` default to ``xueshi_hours.api``."""
    batch = IssueBatch.objects.get(pk=batch_id)
    if users is None or account_of is None:
        users, account_of = _default_sources(batch)
    user_ids = list(users)
    batch.state, batch.total = IssueBatch.RUNNING, len(user_ids)
    batch.issued = batch.existing = batch.failed = 0
    batch.save()
    try:
        for number, user_id in enumerate(user_ids, start=1):
            _one(batch, user_id, account_of)
            if number % SAVE_EVERY == 0:
                batch.save(update_fields=["issued", "existing", "failed", "last_error"])
    except Exception as exc:  # the batch row must say it failed, then the task fails loudly
        batch.state, batch.last_error = IssueBatch.FAILED, str(exc)[:300]
        batch.finished_at = timezone.now()
        batch.save()
        raise
    batch.state, batch.finished_at = IssueBatch.DONE, timezone.now()
    batch.save()
    return {"total": batch.total, "issued": batch.issued, "existing": batch.existing, "failed": batch.failed}


def _one(batch: IssueBatch, user_id: int, account_of: Callable[[int], Any]) -> None:
    try:
        result = issue_for_account(account_of(user_id), issued_by=batch.created_by)
    except NotEligible as exc:
        batch.failed += 1
        batch.last_error = f"{user_id}: {exc.code}"[:300]
        return
    except Exception as exc:  # one learner's bad data (no rule, ...) must not stop the batch
        log.exception("certificate batch %s: learner %s failed", batch.pk, user_id)
        batch.failed += 1
        batch.last_error = f"{user_id}: {type(exc).__name__}: {exc}"[:300]
        return
    if result.created:
        batch.issued += 1
    else:
        batch.existing += 1
