"""Common settings for ``xueshi_media``: defaults an operator may override, and the beat sweep."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

HLS_PREFIX = "/xueshi/media/hls/"


def plugin_settings(settings: Any) -> None:
    """Set this app's defaults where the deployment has not set them.

    The ledger signs (and logs the delivery of) only URLs under its signed prefixes: the HLS this
    app serves is always among them, so a learner's playlist is bound to the playback session.
    Every ``XUESHI_MEDIA_*`` setting is optional (``conf.py``; docs/operators/media.md).
    """
    prefixes = list(getattr(settings, "XUESHI_STUDYTIME_MEDIA_SIGNED_PREFIXES", None) or [])
    if HLS_PREFIX not in prefixes:
        settings.XUESHI_STUDYTIME_MEDIA_SIGNED_PREFIXES = [*prefixes, HLS_PREFIX]
    schedule = getattr(settings, "CELERYBEAT_SCHEDULE", None)
    if schedule is None:
        schedule = settings.CELERYBEAT_SCHEDULE = {}
    # Jobs whose message was lost (broker down when queued) or whose worker died without redelivery.
    schedule["xueshi-media-sweep"] = {"task": "xueshi_media.tasks.sweep", "schedule": timedelta(minutes=5)}
