"""Serve the sandbox's media with HTTP Range support, as a CDN or nginx would.

Django's ``static.serve`` answers every request with the whole file; Chromium then cannot seek
inside an MP4 it has not buffered and jumps back to 0:00, which breaks resume.
"""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils._os import safe_join

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _log_delivery(request: HttpRequest, full: Path, sent: int, size: int) -> None:
    """Log bytes sent under a valid learner signature (``xueshi_studytime.media``); others go unlogged."""
    from xueshi_studytime import conf, media

    signature = request.GET.get(media.PARAM, "")
    found = media.verify(request.path, signature, conf.now()) if signature else None
    if found is not None:
        media.record(found[0], found[1], full.name, sent, size, conf.now())


def serve_media(request: HttpRequest, path: str) -> HttpResponse:
    """Return the file, or the byte range asked for (206), or 416 for an unsatisfiable range."""
    try:
        full = Path(safe_join(settings.MEDIA_ROOT, path))
    except (ValueError, SuspiciousFileOperation) as exc:  # a path that leaves MEDIA_ROOT
        raise Http404("no such file") from exc
    if not full.is_file():
        raise Http404("no such file")
    size = full.stat().st_size
    content_type = mimetypes.guess_type(full.name)[0] or "application/octet-stream"
    match = RANGE.match(request.headers.get("Range", ""))
    if not match or match.groups() == ("", ""):
        response = FileResponse(full.open("rb"), content_type=content_type)
        response["Accept-Ranges"] = "bytes"
        _log_delivery(request, full, size, size)
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
    _log_delivery(request, full, len(body), size)
    response = HttpResponse(body, status=206, content_type=content_type)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    return response
