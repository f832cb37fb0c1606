"""Lost stream callbacks made up from the provider's own records (ADR 0356, 0358).

A lost stop callback leaves an on-air interval open: the page says "on air" to learners of a
lesson that has ended. A lost start callback leaves a lesson that is being taught "not started":
learners cannot join and nobody is credited. The beat task asks the provider, each run:

- about every interval open longer than ``XUESHI_LIVE_CHECK_AFTER`` seconds since it was opened or
  last confirmed (``query.is_live``): live, the confirmation is kept (``OnAir.checked_at``); not
  live, the interval is closed by ``events.apply`` with a stop event, the very path a stop
  callback takes, at the stop the provider's push history reports (``history.stopped_at``) kept
  within [the last confirmation, now], else at the last confirmation: crediting past a moment
  nobody reported would credit time that may not have been on air;
- about every lesson scheduled now (widened by ``XUESHI_LIVE_START_MARGIN``) with no open interval,
  asked at most once per ``XUESHI_LIVE_CHECK_AFTER`` (``LiveStream.asked_at``; ``query.live_since``):
  live, an interval is opened by ``events.apply`` with a start event, the path a start callback
  takes, at the provider's publish time (never before the last closed interval's end, never after
  now), or now when the provider gives none; not live, the push history is read for pushes of the
  stream that ended since the last interval we know (or the widened start) and are not covered by
  any interval (``history.ended_since``): each is recorded as a closed interval
  (``events.record_closed``). They started and stopped between two checks with their start callback
  lost (the stop callback then found nothing open), and their learners watched.

A callback arriving later finds the interval open (a start) or closed (a stop): no change. An API
failure or an unreadable answer changes nothing (logged); the next run asks again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from . import conf, events, history, query
from .models import LiveStream, OnAir
from .providers import START, STOP, StreamEvent

log = logging.getLogger(__name__)
BATCH = 200
RECOVERED = "state-check"  # the sequence of an interval opened by this check, not by a callback


@dataclass
class Checked:
    """What one run did, by stream name: confirmed live, closed, opened, recorded, not answered."""

    live: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    opened: list[str] = field(default_factory=list)
    recorded: list[str] = field(default_factory=list)  # pushes found only in the history, added closed
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, list[str]]:
        """The task's result (JSON-able)."""
        return {
            "live": self.live,
            "closed": self.closed,
            "opened": self.opened,
            "recorded": self.recorded,
            "failed": self.failed,
        }


def due(now: datetime) -> list[OnAir]:
    """Open intervals neither opened nor confirmed within ``check_after`` seconds."""
    before = now - timedelta(seconds=conf.check_after())
    stale = Q(checked_at__lte=before) | Q(checked_at__isnull=True, started_at__lte=before)
    rows = OnAir.objects.filter(stale, ended_at__isnull=True).select_related("stream")
    return list(rows.order_by("checked_at", "started_at")[:BATCH])


def expected(now: datetime) -> list[LiveStream]:
    """Lessons in their (widened) slot, off air by our records, not asked within ``check_after``."""
    margin = timedelta(seconds=conf.start_margin())
    before = now - timedelta(seconds=conf.check_after())
    on_air = OnAir.objects.filter(stream=OuterRef("pk"), ended_at__isnull=True)
    rows = LiveStream.objects.filter(starts_at__lte=now + margin, ends_at__gte=now - margin)
    rows = rows.filter(Q(asked_at__isnull=True) | Q(asked_at__lte=before)).exclude(Exists(on_air))
    return list(rows.annotate(last_end=Max("on_air__ended_at")).order_by("asked_at", "starts_at")[:BATCH])


def check(now: datetime | None = None) -> Checked:
    """Ask the provider about due intervals and expected lessons; close and open as it answers."""
    now = now or timezone.now()
    done = Checked()
    if not query.configured():
        return done
    for interval in due(now):
        _check_open(interval, now, done)
    for row in expected(now):
        if row.stream not in done.closed + done.failed:  # just asked: not live, or no answer
            _check_off_air(row, now, done)
    return done


def _check_open(interval: OnAir, now: datetime, done: Checked) -> None:
    """An open interval: keep it (live), close it (not live), or leave it (no answer)."""
    name = interval.stream.stream
    try:
        live = query.is_live(name)
    except query.QueryFailed as exc:
        log.warning("live stream %s: state unknown (%s)", name, exc)
        done.failed.append(name)
        return
    if live:
        OnAir.objects.filter(pk=interval.pk, ended_at__isnull=True).update(checked_at=now)
        done.live.append(name)
        return
    confirmed = (interval.checked_at or interval.started_at).timestamp()
    at = confirmed
    try:
        stopped = history.stopped_at(name, interval.started_at.timestamp(), confirmed, now.timestamp())
    except query.QueryFailed as exc:
        log.warning("live stream %s: push history unknown (%s); closing at the last confirmation", name, exc)
        stopped = None
    if stopped is not None:
        at = min(max(stopped, confirmed), now.timestamp())
    events.apply(StreamEvent(STOP, name, at, interval.sequence))
    source = "the provider's push history" if stopped is not None else "the last confirmation"
    log.info("live stream %s: not live at the provider; closed at %s (%s)", name, at, source)
    done.closed.append(name)


def _check_off_air(row: LiveStream, now: datetime, done: Checked) -> None:
    """A lesson expected on air with no open interval: open one if the provider says it is live."""
    try:
        since = query.live_since(row.stream, now.timestamp())
    except query.QueryFailed as exc:
        log.warning("live stream %s: state unknown (%s)", row.stream, exc)
        done.failed.append(row.stream)
        return
    LiveStream.objects.filter(pk=row.pk).update(asked_at=now)
    if since is None:
        _record_ended(row, now, done)
        return
    floor = row.last_end.timestamp() if row.last_end else since  # type: ignore[attr-defined]
    at = min(max(since, floor), now.timestamp())
    events.apply(StreamEvent(START, row.stream, at, RECOVERED))
    log.info("live stream %s: live at the provider without a start callback; opened at %s", row.stream, at)
    done.opened.append(row.stream)


def _record_ended(row: LiveStream, now: datetime, done: Checked) -> None:
    """A lesson off air now: record the pushes the history has since our last interval's end.

    Looked for from the later of the last interval's end and the widened start (never before the
    lesson's slot), at most once per ``check_after`` like the state query (``asked_at``). A failed
    or unreadable history changes nothing: the next run asks again while the lesson is in its slot.
    """
    since = row.starts_at.timestamp() - conf.start_margin()
    last_end = row.last_end  # type: ignore[attr-defined]
    if last_end is not None:
        since = max(since, last_end.timestamp())
    try:
        spans = history.ended_since(row.stream, since, now.timestamp())
    except query.QueryFailed as exc:
        log.warning("live stream %s: push history unknown (%s)", row.stream, exc)
        done.failed.append(row.stream)
        return
    added = events.record_closed(row.stream, spans, RECOVERED) if spans else []
    if added:
        log.info("live stream %s: pushes without callbacks in the history; recorded %s", row.stream, added)
        done.recorded.append(row.stream)
