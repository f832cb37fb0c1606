"""Settings of ``xueshi_media``, read when used (so ``override_settings`` works); all optional."""

from __future__ import annotations

from typing import Any

from django.conf import settings

#: The ladder, highest first: (name, height, video kbit/s, audio kbit/s). A rung is made only when
#: the source is at least that tall, so nothing is upscaled; a source below 360p gets one rung at
#: its own height.
DEFAULT_LADDER = (
    ("1080p", 1080, 5000, 128),
    ("720p", 720, 2800, 128),
    ("540p", 540, 1600, 96),
    ("360p", 360, 800, 64),
)


def _get(name: str, default: Any) -> Any:
    return getattr(settings, f"XUESHI_MEDIA_{name}", default)


def max_upload_bytes() -> int:
    """Largest file an author may upload (``XUESHI_MEDIA_MAX_UPLOAD_BYTES``, 8 GiB)."""
    return int(_get("MAX_UPLOAD_BYTES", 8 * 1024**3))


def max_chunk_bytes() -> int:
    """Largest chunk of one request (``XUESHI_MEDIA_MAX_CHUNK_BYTES``, 8 MiB; nginx must allow it)."""
    return int(_get("MAX_CHUNK_BYTES", 8 * 1024**2))


def ffmpeg() -> str:
    """Path of Debian's ffmpeg (``XUESHI_MEDIA_FFMPEG``)."""
    return str(_get("FFMPEG", "/usr/bin/ffmpeg"))


def ffprobe() -> str:
    """Path of ffprobe (``XUESHI_MEDIA_FFPROBE``)."""
    return str(_get("FFPROBE", "/usr/bin/ffprobe"))


def ladder() -> tuple[tuple[str, int, int, int], ...]:
    """The HLS ladder (``XUESHI_MEDIA_LADDER``), highest first."""
    return tuple(tuple(r) for r in _get("LADDER", DEFAULT_LADDER))  # type: ignore[misc]


def segment_seconds() -> int:
    """Target HLS segment length, keyframes there in every rendition (``XUESHI_MEDIA_SEGMENT_SECONDS``)."""
    return int(_get("SEGMENT_SECONDS", 4))


def x264_preset() -> str:
    """libx264 speed/size trade-off (``XUESHI_MEDIA_X264_PRESET``, ``veryfast``)."""
    return str(_get("X264_PRESET", "veryfast"))


def thumbnail_seconds() -> int:
    """One seek-bar thumbnail every this many seconds (``XUESHI_MEDIA_THUMBNAIL_SECONDS``)."""
    return int(_get("THUMBNAIL_SECONDS", 10))


def hls_aes() -> bool:
    """AES-128 segments, the key released only to the playing session (``XUESHI_MEDIA_HLS_AES``)."""
    return bool(_get("HLS_AES", True))


def storage_prefix() -> str:
    """Folder of the media in Django's default storage (``XUESHI_MEDIA_STORAGE_PREFIX``)."""
    return str(_get("STORAGE_PREFIX", "xueshi-media")).strip("/")


def work_dir() -> str:
    """Local scratch folder of the transcoder (``XUESHI_MEDIA_WORK_DIR``; the system's temp folder)."""
    import tempfile

    return str(_get("WORK_DIR", "") or tempfile.gettempdir())


def accel_redirect_prefix() -> str:
    """Internal location nginx/Caddy serves storage from; empty = Django streams the bytes itself.

    ``XUESHI_MEDIA_ACCEL_REDIRECT_PREFIX = "/xueshi-media-internal/"`` answers a verified segment
    with ``X-Accel-Redirect: /xueshi-media-internal/<storage name>`` and no body (docs/operators/media.md).
    """
    return str(_get("ACCEL_REDIRECT_PREFIX", "") or "")


def presigned_seconds() -> int:
    """Life of the presigned object-storage URL a verified segment is redirected to; 0 = no redirect.

    ``XUESHI_MEDIA_PRESIGNED_SECONDS`` with an S3-compatible default storage (django-storages,
    ``querystring_auth``): the segment's bytes go from the object store to the browser, never
    through Django (ADR 0326). It only has to outlive the player's fetch of that one segment.
    """
    return max(0, int(_get("PRESIGNED_SECONDS", 0) or 0))


def task_queue() -> str | None:
    """Celery queue of transcoding jobs (``XUESHI_MEDIA_QUEUE``; None = the default queue)."""
    return _get("QUEUE", None) or None


def redis_url() -> str:
    """Redis of the per-session fetch log (``XUESHI_MEDIA_REDIS_URL``, else the ledger's)."""
    return str(_get("REDIS_URL", "") or getattr(settings, "XUESHI_STUDYTIME_REDIS_URL", "") or "")


def fetch_log_ttl_seconds() -> int:
    """How long a session's fetch log is kept in Redis (``XUESHI_MEDIA_FETCH_LOG_TTL_SECONDS``, 2 days)."""
    return int(_get("FETCH_LOG_TTL_SECONDS", 2 * 86400))


def delivery_prefix() -> str:
    """URL path the signed HLS is served under (must be in ``XUESHI_STUDYTIME_MEDIA_SIGNED_PREFIXES``)."""
    return "/xueshi/media/hls/"


def preview_max_seconds() -> int:
    """Longest 试听 preview in seconds (``XUESHI_MEDIA_PREVIEW_MAX_SECONDS``; 0 = the whole unit).

    A unit its author marks 试听 is free to watch whole, as on course marketplaces; an operator may
    cap every preview at the first N seconds instead, as a VOD service's 试看 does (ADR 0325).
    """
    return max(0, int(_get("PREVIEW_MAX_SECONDS", 0) or 0))


def preview_grace_seconds() -> int:
    """Seconds a preview token outlives the preview's length (``XUESHI_MEDIA_PREVIEW_GRACE_SECONDS``)."""
    return max(60, int(_get("PREVIEW_GRACE_SECONDS", 1800)))


def preview_keys() -> list[str | bytes]:
    """Keys of preview tokens, newest first (``XUESHI_MEDIA_PREVIEW_KEYS``; none: from SECRET_KEY)."""
    return list(_get("PREVIEW_KEYS", []) or [])
