"""Closing a lesson whose push-stop callback was lost: ask the provider for the stream's real state.

A lost stop callback leaves an on-air interval open: the page says "on air" to learners of a
lesson that has ended (their credit was bounded, but the page was wrong). The beat task asks the
provider (``query.is_live``) about every interval open longer than ``XUESHI_LIVE_CHECK_AFTER``
seconds since it was opened or last confirmed, and:

- live: the confirmation is kept (``OnAir.checked_at``);
- not live: the interval is closed by ``events.apply`` with a stop event, the very path a stop
  callback takes, at the last moment the provider confirmed the stream live (or its start): the
  state API has no stop time, and crediting past a moment nobody confirmed would credit time
  that may not have been on air. A stop callback arriving later finds nothing open: no change.
- unknown (the API failed): nothing changes; the next run asks again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from . import conf, events, query
from .models import OnAir
from .providers import STOP, StreamEvent

log = logging.getLogger(__name__)
BATCH = 200


@dataclass
class Checked:
    """What one run did: streams confirmed live, closed, not answered (by stream name)."""

    live: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, list[str]]:
        """The task's result (JSON-able)."""
        return {"live": self.live, "closed": self.closed, "failed": self.failed}


def due(now: datetime) -> list[OnAir]:
    """Open intervals neither opened nor confirmed within ``check_after`` seconds."""
    before = now - timedelta(seconds=conf.check_after())
    stale = Q(checked_at__lte=before) | Q(checked_at__isnull=True, started_at__lte=before)
    rows = OnAir.objects.filter(stale, ended_at__isnull=True).select_related("stream")
    return list(rows.order_by("checked_at", "started_at")[:BATCH])


def check(now: datetime | None = None) -> Checked:
    """Ask the provider about each due interval; close those whose stream is not live."""
    now = now or timezone.now()
    done = Checked()
    if not query.configured():
        return done
    for interval in due(now):
        name = interval.stream.stream
        try:
            live = query.is_live(name)
        except query.QueryFailed as exc:
            log.warning("live stream %s: state unknown (%s)", name, exc)
            done.failed.append(name)
            continue
        if live:
            OnAir.objects.filter(pk=interval.pk, ended_at__isnull=True).update(checked_at=now)
            done.live.append(name)
            continue
        last_seen = interval.checked_at or interval.started_at
        events.apply(StreamEvent(STOP, name, last_seen.timestamp(), interval.sequence))
        log.info("live stream %s: not live at the provider; closed at %s", name, last_seen)
        done.closed.append(name)
    return done
