"""Announcing an app's facts to other apps only once they are committed (one helper for every app).

A fact (an order paid, a ticket answered, a training project approved) is told with a Django
``Signal`` after the transaction that made it commits, so a rolled-back change is never
announced; ``send_robust`` keeps a failing receiver from undoing or hiding the fact, and its
error is logged with the event.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import Signal

log = logging.getLogger(__name__)


def send_robustly(signal: Signal, event: object) -> None:
    """Send ``signal`` with ``event`` now; a receiver that fails is logged, the others still run."""
    for receiver, result in signal.send_robust(sender=None, event=event):
        if isinstance(result, Exception):
            log.error("receiver %r failed on %r", receiver, event, exc_info=result)


def send_on_commit(signal: Signal, event: object) -> None:
    """Send ``signal`` with ``event`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: send_robustly(signal, event))
