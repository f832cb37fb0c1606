"""Serve the sandbox's media with HTTP Range support, as a CDN or nginx would.

Django's ``static.serve`` answers every request with the whole file; Chromium then cannot seek
inside an MP4 it has not buffered and jumps back to 0:00, which breaks resume.

Under a valid ``xueshi_studytime.media`` signature it also logs what it sent: to the learner's
fetch log (ADR 0052) and, for a session-signed URL, to the session's delivery record (ADR 0053).
An HLS playlist fetched under a session signature is rewritten so that every segment URL is
signed for that session with its time span, as issue 24's signed delivery will do at the CDN.
"""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils._os import safe_join

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _signed(request: HttpRequest) -> Any:
    """Who the request's media signature was made for (``media.Signed``), or ``None``."""
    from xueshi_studytime import conf, media

    signature = request.GET.get(media.PARAM, "")
    span = request.GET.get(media.SPAN, "")
    return media.verify(request.path, signature, conf.now(), span) if signature else None


def _log_delivery(signed: Any, path: str, first: int, sent: int, size: int) -> None:
    """Log bytes ``[first, first + sent)`` sent under a valid signature; unsigned requests go unlogged."""
    from xueshi_studytime import conf, delivery, media

    if signed is not None:
        media.record(signed.user_id, signed.usage_hex, path.rsplit("/", 1)[-1], sent, size, conf.now())
        delivery.record(signed, path, first, first + sent, size, sent)


def _session_playlist(request: HttpRequest, full: Path, signed: Any) -> HttpResponse:
    """The playlist with its URIs signed for the session (segments with their time spans)."""
    from xueshi_studytime import conf, delivery, media

    def sign(path: str, span: tuple[float, float] | None) -> str:
        now = conf.now()
        return media.sign_url(path, signed.user_id, signed.usage_hex, now, signed.session_id, span)

    text = delivery.rewrite_playlist(full.read_text("utf-8", errors="replace"), request.path, sign)
    body = text.encode("utf-8")
    _log_delivery(signed, request.path, 0, len(body), len(body))
    response = HttpResponse(body, content_type="application/vnd.apple.mpegurl")
    response["Cache-Control"] = "private, no-store"
    return response


def serve_media(request: HttpRequest, path: str) -> HttpResponse:
    """Return the file, or the byte range asked for (206), or 416 for an unsatisfiable range."""
    try:
        full = Path(safe_join(settings.MEDIA_ROOT, path))
        if not full.is_file():
            raise Http404("no such file")
    except (ValueError, SuspiciousFileOperation, OSError) as exc:  # leaves MEDIA_ROOT, or a name too long
        raise Http404("no such file") from exc
    size = full.stat().st_size
    signed = _signed(request)
    if signed is not None and signed.session_id and full.suffix == ".m3u8":
        return _session_playlist(request, full, signed)
    content_type = mimetypes.guess_type(full.name)[0] or "application/octet-stream"
    match = RANGE.match(request.headers.get("Range", ""))
    if not match or match.groups() == ("", ""):
        response = FileResponse(full.open("rb"), content_type=content_type)
        response["Accept-Ranges"] = "bytes"
        _log_delivery(signed, request.path, 0, size, size)
        return response
    first, last = match.groups()
    start = int(first) if first else max(0, size - int(last))
    end = min(int(last), size - 1) if first and last else size - 1
    if start >= size or start > end:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    with full.open("rb") as handle:
        handle.seek(start)
        body = handle.read(end - start + 1)
    _log_delivery(signed, request.path, start, len(body), size)
    response = HttpResponse(body, status=206, content_type=content_type)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    return response
