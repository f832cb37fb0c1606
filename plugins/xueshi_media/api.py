"""Public Python API of ``xueshi_media``: the only module the video block and the ledger call.

Arguments and results are plain values from ``data.py``.
"""

from __future__ import annotations

import re
from typing import Any

from .data import Fetch, Playback, Preview

__all__ = [
    "Fetch",
    "Playback",
    "Preview",
    "course_videos",
    "fetched_segments",
    "import_video",
    "library_url",
    "playback",
    "preview",
    "preview_limit_seconds",
    "preview_url",
]
ASSET_ID = re.compile(r"^[0-9a-f]{32}$")
BASE = "/xueshi/media/"


def playback(asset_id: str, course_key: Any = None) -> Playback | None:
    """The library video ``asset_id`` (of ``course_key`` when given), or ``None`` if there is none.

    The HLS URL is bare: the block has the ledger sign it for the learner and the session.
    """
    from .models import Asset

    text = str(asset_id or "").replace("-", "").lower()
    if not ASSET_ID.match(text):
        return None
    rows = Asset.objects.filter(pk=text)
    if course_key is not None:
        rows = rows.filter(course_key=course_key)
    asset = rows.first()
    if asset is None:
        return None
    files = f"{BASE}files/{asset.pk.hex}/"
    captions = tuple({"lang": c["lang"], "url": files + c["file"]} for c in asset.captions)
    return Playback(
        asset_id=asset.pk.hex,
        title=asset.title,
        state=asset.state,
        duration=float(asset.duration),
        hls_url=f"{BASE}hls/{asset.pk.hex}/master.m3u8",
        poster_url=files + "poster.jpg" if "poster" in asset.steps_done else "",
        thumbnails_url=files + "thumbnails.vtt" if "thumbnails" in asset.steps_done else "",
        captions=captions,
        renditions=tuple(r["name"] for r in asset.renditions),
    )


def preview_url(asset_id: str, usage_key: Any, session_key: str | None, duration: float) -> str:
    """A credit-free 试听 URL of the ladder's master playlist, minted for the preview block ``usage_key``."""
    return preview(asset_id, usage_key, session_key, duration).hls_url


def preview(
    asset_id: str, usage_key: Any, session_key: str | None, duration: float, author_limit: int = 0
) -> Preview:
    """A credit-free 试听 grant of the library video: its master playlist, poster and captions.

    One token, bound to the visitor's Django session when there is one (else a random id), expiring
    after the preview's length plus a grace period, limited to the smaller of the operator's
    ``XUESHI_MEDIA_PREVIEW_MAX_SECONDS`` and the unit author's cap (0 = none) when either is set.
    It is not a playback session: the ledger credits nothing and records no delivery (ADR 0325, 0329).
    """
    import time

    from . import conf, previewtoken
    from .models import Asset

    limit = previewtoken.effective_limit(conf.preview_max_seconds(), author_limit)
    span = min(limit, duration) if limit else duration
    ttl = int(span) + conf.preview_grace_seconds()
    token = previewtoken.mint(asset_id, str(usage_key), session_key, limit, time.time(), ttl)
    base, query = f"{BASE}preview/{asset_id}/", f"?{previewtoken.PARAM}={token}"
    asset = Asset.objects.filter(pk=asset_id).only("steps_done", "captions").first()
    done = asset.steps_done if asset is not None else []
    tracks = asset.captions if asset is not None else []
    return Preview(
        hls_url=f"{base}master.m3u8{query}",
        poster_url=f"{base}poster.jpg{query}" if "poster" in done else "",
        captions=tuple({"lang": c["lang"], "url": base + c["file"] + query} for c in tracks),
        limit=limit,
    )


def preview_limit_seconds() -> int:
    """The operator's cap on every 试听 preview in seconds (0 = the whole unit)."""
    from . import conf

    return conf.preview_max_seconds()


def course_videos(course_key: Any) -> list[Playback]:
    """Every video of a course's library, newest first (for pickers)."""
    from .models import Asset

    ids = Asset.objects.filter(course_key=course_key).values_list("pk", flat=True)[:500]
    return [p for p in (playback(i.hex) for i in ids) if p is not None]


def fetched_segments(session_id: str) -> list[Fetch]:
    """The proof of fetch of one playback session: playlists and segments served, oldest first."""
    from . import fetchlog

    return [Fetch(at, path, span) for at, path, span in fetchlog.read(str(session_id))]


def library_url(course_key: Any) -> str:
    """The course's video library page (upload, progress, retry)."""
    return f"{BASE}library/{course_key}/"


def import_video(user: Any, course_key: Any, title: str, stream: Any, size: int) -> str:
    """Add a video of ``size`` bytes read from ``stream`` to the course's library; return its asset id.

    The same path as an author's upload (size limits, the ffprobe check), then the transcoding job
    is queued: a live lesson's recording becomes a normal library video (ADR 0352).

    Raises:
        xueshi_core.jsonbody.BadInput: too large, empty, short, or not a video.
    """
    from django.db import transaction

    from . import conf, tasks, uploads

    upload = uploads.start(user, course_key, f"{title}.mp4", size)
    offset = 0
    while offset < size:
        length = min(conf.max_chunk_bytes(), size - offset)
        offset = uploads.append(upload.pk, offset, stream, length)
    asset = uploads.finish(upload.pk, title)
    transaction.on_commit(lambda: tasks.enqueue(asset.pk))
    return str(asset.pk.hex)
