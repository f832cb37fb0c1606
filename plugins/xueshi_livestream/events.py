"""Applying verified provider callbacks: on-air intervals, the ledger's copy, the recording.

Callbacks may arrive twice or out of order (providers retry for seconds): a start while an interval
is open, a start dated before the end of the last closed interval (a retry of a push already
recorded, e.g. one the stream-state check opened and closed, ADR 0358), a stop with none open, or a
stop dated before the open interval began (the stop of an earlier push, e.g. one the check recorded
from the push history), changes nothing; a stop closes the open interval at the event's time.
``record_closed`` adds pushes found only in the provider's history (ADR 0358). After each change the
intervals go to the ledger (``studytime.api.set_on_air``), which credits live attendance
only inside them (ADR 0351).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from django.db import transaction

from .models import LiveStream, OnAir
from .providers import RECORDING, START, STOP, StreamEvent

log = logging.getLogger(__name__)


def publish(row: LiveStream) -> None:
    """Hand the stream's on-air intervals to the ledger (also done when a learner's session opens)."""
    from xueshi_studytime import api as ledger

    intervals = [
        (i.started_at.timestamp(), i.ended_at.timestamp() if i.ended_at else None) for i in row.on_air.all()
    ]
    ledger.set_on_air(row.usage_key, intervals)


def apply(event: StreamEvent) -> bool:
    """Record ``event``; False when no live lesson uses the stream (the callback is still answered)."""
    at = datetime.fromtimestamp(event.at, tz=UTC)
    with transaction.atomic():
        row = LiveStream.objects.select_for_update().filter(stream=event.stream).first()
        if row is None:
            return False
        open_ = row.on_air.filter(ended_at__isnull=True).first()
        if event.kind == START and open_ is None and not row.on_air.filter(ended_at__gt=at).exists():
            OnAir.objects.create(stream=row, sequence=event.sequence[:64], started_at=at)
        elif event.kind == STOP and open_ is not None and at >= open_.started_at:
            open_.ended_at = at
            open_.save(update_fields=["ended_at"])
        elif event.kind == RECORDING and event.recording_url:
            row.recording_url = event.recording_url
            row.save(update_fields=["recording_url", "modified"])
    if event.kind in (START, STOP):
        publish(row)
    elif event.recording_url and not row.recording_asset:
        from .tasks import fetch_recording

        transaction.on_commit(lambda: fetch_recording.delay(row.pk))
    return True


def record_closed(stream: str, spans: list[tuple[float, float]], sequence: str) -> list[tuple[float, float]]:
    """Record pushes both of whose callbacks we missed, ``(start, stop)`` epochs; the parts added.

    Not two ``apply`` calls: a start and its stop must be one change (a crash between them would
    leave the lesson "on air"), and only the parts of each span no interval covers yet are added,
    under the stream's row lock, so a callback or another run at the same moment cannot make
    intervals overlap and asking again adds nothing.
    """
    added: list[tuple[float, float]] = []
    with transaction.atomic():
        row = LiveStream.objects.select_for_update().filter(stream=stream).first()
        if row is None:
            return added
        taken = [
            (i.started_at.timestamp(), i.ended_at.timestamp() if i.ended_at else float("inf"))
            for i in row.on_air.all()
        ]
        for began, ended in spans:
            for part in _uncovered(began, ended, taken):
                OnAir.objects.create(
                    stream=row,
                    sequence=sequence[:64],
                    started_at=datetime.fromtimestamp(part[0], tz=UTC),
                    ended_at=datetime.fromtimestamp(part[1], tz=UTC),
                )
                taken.append(part)
                added.append(part)
    if added:
        publish(row)
    return added


def _uncovered(began: float, ended: float, taken: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The parts of [began, ended] outside every interval in ``taken``."""
    parts = [(began, ended)]
    for start, stop in taken:
        parts = [
            piece
            for low, high in parts
            for piece in ((low, min(high, start)), (max(low, stop), high))
            if piece[0] < piece[1]
        ]
    return parts
