"""Public Python API of ``xueshi_livestream``: what the ``xueshi_live`` block calls.

Arguments and results are plain values (``data.py``); times are epoch seconds.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from .data import AFTER, BEFORE, ON_AIR, PAUSED, LiveState
from .providers import STREAM_NAME

__all__ = [
    "LiveState",
    "attach_recording",
    "demo_lessons",
    "enabled",
    "play_url",
    "push_url",
    "register",
    "share_on_air",
    "state",
    "valid_stream",
]


def _dt(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, tz=UTC)


def enabled() -> bool:
    """Whether the operator configured a live provider (``XUESHI_LIVE_PROVIDER``)."""
    from . import conf

    return bool(conf.provider())


def valid_stream(name: str) -> bool:
    """A stream name both providers accept: 1–64 letters, digits, ``_`` or ``-``."""
    return bool(STREAM_NAME.match(name or ""))


def register(usage_key: Any, stream: str, starts_at: float, ends_at: float) -> None:
    """Create or update the block's stream and schedule.

    Raises:
        ValueError: the name is invalid, the schedule is empty, or another block uses the stream.
    """
    from .models import LiveStream

    if not valid_stream(stream) or not ends_at > starts_at:
        raise ValueError("a stream name and a start before the end are needed")
    taken = LiveStream.objects.filter(stream=stream).exclude(usage_key=usage_key).exists()
    if taken:
        raise ValueError("another live lesson uses this stream name")
    LiveStream.objects.update_or_create(
        usage_key=usage_key,
        defaults={
            "stream": stream,
            "course_key": usage_key.course_key,
            "starts_at": _dt(starts_at),
            "ends_at": _dt(ends_at),
        },
    )


def state(usage_key: Any, now: float | None = None) -> LiveState | None:
    """The block's lesson at ``now``, or ``None`` when it has no stream yet."""
    from .models import LiveStream

    row = LiveStream.objects.filter(usage_key=usage_key).first()
    if row is None:
        return None
    now = time.time() if now is None else now
    intervals = tuple(
        (i.started_at.timestamp(), i.ended_at.timestamp() if i.ended_at else None) for i in row.on_air.all()
    )
    starts, ends = row.starts_at.timestamp(), row.ends_at.timestamp()
    if any(end is None for _start, end in intervals):
        phase = ON_AIR
    elif now < starts and not intervals:
        phase = BEFORE
    elif now >= ends or (intervals and row.recording_asset):
        phase = AFTER  # over; once a recording is attached, the lesson is its replay
    else:
        phase = PAUSED  # in the slot, not pushing (not started yet, or the push dropped)
    return LiveState(row.stream, starts, ends, phase, intervals, row.recording_asset)


def share_on_air(usage_key: Any) -> None:
    """Hand the stream's on-air intervals to the ledger again (a live session is opening)."""
    from . import events
    from .models import LiveStream

    row = LiveStream.objects.filter(usage_key=usage_key).first()
    if row is not None:
        events.publish(row)


def attach_recording(usage_key: Any, asset_id: str) -> bool:
    """Make a library video the lesson's recording (the author's choice); False without a stream."""
    from .models import LiveStream

    return bool(LiveStream.objects.filter(usage_key=usage_key).update(recording_asset=asset_id))


def play_url(stream: str, ttl: int | None = None) -> str:
    """A learner's signed HLS play URL of ``stream``, valid ``ttl`` seconds (``XUESHI_LIVE_PLAY_TTL``)."""
    from . import conf, providers

    return providers.get().play_url(stream, int(time.time()) + (ttl or conf.play_ttl()))


def push_url(stream: str, until: float) -> str:
    """The teacher's signed push (RTMP) URL, valid until ``until`` plus ``XUESHI_LIVE_PUSH_TTL``."""
    from . import conf, providers

    return providers.get().push_url(stream, int(until) + conf.push_ttl())


def demo_lessons() -> list[dict[str, Any]]:
    """The demo course's live units (``url_name``, ``title``, ``stream``, epoch times), if live is on."""
    from dataclasses import asdict

    from . import demo

    return [asdict(lesson) for lesson in demo.lessons()] if enabled() else []
