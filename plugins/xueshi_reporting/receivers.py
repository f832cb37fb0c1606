"""Subscribers to our signals: write the record of each fact an authority must learn.

The hours and certificate signals are sent after their source transaction committed, so the
record is written in a transaction of its own: a crash between the two is covered by the
collectors (certificates from their table; hours are rebuilt with the study-day collector's
learners by ``tasks.sweep``), ADR 0201.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from . import conf, outbox, records

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
