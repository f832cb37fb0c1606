"""Fetching a recording the provider announced, into the course's video library (ADR 0352).

Only hosts the operator lists (``XUESHI_LIVE_RECORDING_HOSTS``: the provider's VOD/OSS domain) are
fetched, so a forged callback could not make the server download from anywhere; the file then
takes the author's upload path (size limit, ffprobe check, transcoding).
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import requests

from . import conf
from .models import LiveStream

log = logging.getLogger(__name__)
TIMEOUT = (10, 120)


def allowed(url: str) -> bool:
    """Whether ``url`` is http(s) on a host the operator allows."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and (parts.netloc in conf.recording_hosts())


def fetch(stream_id: int) -> str:
    """Download the stream's recording into the library and attach it; return the asset id ('' if not)."""
    from xueshi_core.jsonbody import BadInput
    from xueshi_media import api as media

    row = LiveStream.objects.get(pk=stream_id)
    if row.recording_asset or not row.recording_url:
        return row.recording_asset
    if not allowed(row.recording_url):
        return _failed(row, "host_not_allowed")
    try:
        with requests.get(row.recording_url, stream=True, timeout=TIMEOUT) as response:
            response.raise_for_status()
            size = int(response.headers.get("Content-Length") or 0)
            response.raw.decode_content = True
            title = f"{row.stream} 直播回放"
            owner = operator_account()
            asset = media.import_video(owner, row.course_key, title, response.raw, size)
    except (requests.RequestException, ValueError) as exc:
        log.warning("recording of %s not fetched: %s", row.stream, exc)
        return _failed(row, "unreachable")
    except BadInput as exc:
        return _failed(row, exc.code)
    LiveStream.objects.filter(pk=row.pk, recording_asset="").update(recording_asset=asset, recording_error="")
    return asset


def operator_account() -> object:
    """Whom the library video is recorded as added by: the first staff account (the site operator)."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(is_staff=True, is_active=True).order_by("pk").first()
    if user is None:
        raise ValueError("no staff account to own the recording")
    return user


def _failed(row: LiveStream, code: str) -> str:
    LiveStream.objects.filter(pk=row.pk).update(recording_error=code[:255])
    return ""
