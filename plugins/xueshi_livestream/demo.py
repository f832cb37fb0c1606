"""The demo course's two live lessons: one in its slot now, one yesterday with its recording.

Only when a live provider is configured (``make sandbox`` points the site at the live provider
sandbox, ADR 0355): the ``xueshi_live`` block's scenarios put the units into the demo course, and
``seed_demo_live`` (this app's demo hook) schedules their streams. A newcomer puts the first on
air with ``manage.py live_sandbox push demo_live_now``; the second is over, aired, and replays a
recording that took the recording callback's path into the library (``media.import_video``).

The schedule moves with each seeding (``make sandbox`` seeds on every start): the "now" lesson
is rescheduled around the current time, its old on-air intervals and recording dropped once its
slot has passed, so the demo never shows a lesson that ended days ago as the one to join.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import LiveStream

NOW_STREAM, PAST_STREAM = "demo_live_now", "demo_live_past"
_ANCHOR: list[float] = []


@dataclass(frozen=True)
class DemoLesson:
    """One demo live unit: its OLX ``url_name``, title, stream and schedule (epoch seconds)."""

    url_name: str
    title: str
    stream: str
    starts_at: float
    ends_at: float


def _anchor() -> float:
    """The minute this process seeds at, the same for the block's scenarios and the hook."""
    if not _ANCHOR:
        _ANCHOR.append(float(int(time.time()) // 60 * 60))
    return _ANCHOR[0]


def lessons() -> tuple[DemoLesson, DemoLesson]:
    """The lesson in its slot (10 minutes ago to 2 hours on) and yesterday's, 45 minutes long."""
    now = _anchor()
    yesterday = now - 86400 - 3600
    return (
        DemoLesson("live_now", "直播课：安全生产月专题讲座", NOW_STREAM, now - 600, now + 7200),
        DemoLesson("live_past", "直播回放：危险化学品事故案例分析", PAST_STREAM, yesterday, yesterday + 2700),
    )


def seed_demo_live() -> list[str]:
    """Schedule the demo course's live lessons; air yesterday's and attach its recording (idempotent)."""
    from django.db import transaction
    from opaque_keys.edx.keys import CourseKey

    from xueshi_core.demo import DEMO_COURSE_KEY

    from . import api, conf, events
    from .models import LiveStream, OnAir

    if not conf.provider():
        return []
    course = CourseKey.from_string(DEMO_COURSE_KEY)
    current, past = lessons()
    rows = {}
    for lesson in (current, past):
        usage = course.make_usage_key("xueshi_live", lesson.url_name)
        with transaction.atomic():
            old = LiveStream.objects.filter(usage_key=usage).first()
            if old is not None and lesson is current and old.ends_at.timestamp() < time.time():
                old.on_air.all().delete()  # yesterday's demo broadcast: the new slot starts clean
                blank = {"recording_asset": "", "recording_url": "", "recording_error": ""}
                LiveStream.objects.filter(pk=old.pk).update(**blank)
            api.register(usage, lesson.stream, lesson.starts_at, lesson.ends_at)
        rows[lesson.stream] = LiveStream.objects.get(usage_key=usage)
    aired = rows[PAST_STREAM]
    aired.on_air.all().delete()  # the schedule moved with this seeding: the interval moves with it
    at = datetime.fromtimestamp(past.starts_at, tz=UTC)
    start, end = at + timedelta(minutes=2), at + timedelta(minutes=42)
    OnAir.objects.create(stream=aired, sequence="demo", started_at=start, ended_at=end)
    lines = [f"demo live lessons: {current.stream} (now: manage.py live_sandbox push {current.stream})"]
    lines.append(f"  {past.stream} (yesterday) recording: {_recording(aired, past.title) or 'missing'}")
    for row in rows.values():
        events.publish(row)
    return lines


def _recording(row: LiveStream, title: str) -> str:
    """Attach the demo lesson video as yesterday's recording, the way a recording callback's file goes."""
    from django.conf import settings

    from xueshi_core.jsonbody import BadInput
    from xueshi_media import api as media

    from .models import LiveStream
    from .recording import operator_account

    if row.recording_asset:
        return row.recording_asset
    media_url = str(getattr(settings, "XUESHI_DEMO_MEDIA_URL", "/media/xueshi-demo/"))
    prefix = str(getattr(settings, "MEDIA_URL", "/media/"))
    source = Path(settings.MEDIA_ROOT) / media_url.removeprefix(prefix).strip("/") / "lesson1.mp4"
    if not source.is_file():
        return ""
    try:
        with source.open("rb") as stream:
            size = source.stat().st_size
            asset = media.import_video(operator_account(), row.course_key, title, stream, size)
    except (BadInput, ValueError):
        return ""
    LiveStream.objects.filter(pk=row.pk).update(recording_asset=asset)
    return asset
