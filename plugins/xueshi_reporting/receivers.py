"""Subscribers to our signals and the platform's: write the record of each fact an authority must learn.

The hours and certificate signals are sent after their source transaction committed, so the
record is written in a transaction of its own: a crash between the two is covered by the
collectors (certificates from their table; hours are rebuilt with the study-day collector's
learners by ``tasks.sweep``), ADR 0201. Identity's ``PROFILE_CHANGED`` and ``REGISTER_CHECKED``
are sent *inside* their transaction: the learner fact is staged (one INSERT) and commits or
rolls back with the profile; the sweep makes the record (ADR 0330). The platform's enrolment
events stage theirs in the transaction they are sent from (if any); register checks start after
the profile's commit (a Celery task, ADR 0331).
"""

from __future__ import annotations

import logging
from datetime import datetime
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from . import conf, outbox, records, schema

log = logging.getLogger(__name__)


def _write(drafts_of: Any, *args: Any) -> None:
    if not conf.enabled():
        return
    try:
        with transaction.atomic():
            outbox.write(drafts_of(*args))
    except Exception:  # a subscriber never breaks the source fact; the collectors replay it
        log.exception(
            "reporting: could not write the record of %s%r; the collector will", drafts_of.__name__, args
        )


def on_hours_changed(sender: Any, user_id: int, period_year: int, **kwargs: Any) -> None:
    """A learner's hours changed: the period's hour account, as of now."""
    _write(records.hour_account, int(user_id), int(period_year))


def on_certificate(sender: Any, serial: str, **kwargs: Any) -> None:
    """A certificate issued or revoked: its record, with its status."""
    _write(records.certificate_by_serial, str(serial))


def on_profile_changed(sender: Any, user_id: int, complete: bool, **kwargs: Any) -> None:
    """A complete profile saved: stage its learner record; after commit, start register checks.

    Runs in the profile's transaction and lets errors through: the staged fact and the change
    commit together or not at all.
    """
    if not conf.enabled() or not complete:
        return
    outbox.stage(schema.LEARNER, int(user_id))
    if outbox.checks_configured():
        transaction.on_commit(partial(_start_checks, int(user_id)))


def _start_checks(user_id: int) -> None:
    from .tasks import start_checks

    start_checks.delay(user_id)


def on_register_checked(sender: Any, user_id: int, status: str, **kwargs: Any) -> None:
    """A register's final answer is part of the learner record: a new version, in the answer's transaction."""
    if conf.enabled() and status in records.FINAL_CHECKS and outbox.wanted(schema.LEARNER):
        outbox.write(records.learner(int(user_id)))


def _enrolment(enrollment: Any, active: bool, metadata: Any) -> None:
    if not conf.enabled():
        return
    at = getattr(metadata, "time", None)
    changed_at = at if isinstance(at, datetime) else timezone.now()
    outbox.stage(
        schema.ENROLMENT,
        int(enrollment.user.id),
        course=str(enrollment.course.course_key),
        mode=str(getattr(enrollment, "mode", "") or ""),
        active=active,
        changed_at=changed_at.isoformat(),
    )


def on_enrollment_created(sender: Any, enrollment: Any, metadata: Any = None, **kwargs: Any) -> None:
    """``COURSE_ENROLLMENT_CREATED``: stage the enrolment record (active)."""
    _enrolment(enrollment, True, metadata)


def on_unenrollment_completed(sender: Any, enrollment: Any, metadata: Any = None, **kwargs: Any) -> None:
    """``COURSE_UNENROLLMENT_COMPLETED``: stage the enrolment record (ended)."""
    _enrolment(enrollment, False, metadata)
