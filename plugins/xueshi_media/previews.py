"""Serving a 试听 preview: the playlists, key, segments, poster and captions of one video to a token.

Nothing here touches the ledger: no lease is checked or taken, no delivery is recorded and no
fetch log is written, so a preview can never earn study time (ADR 0168, 0325). A refused request
gets 403 with ``{"error": code, "detail": reason}``: a forged, expired, other-video or
other-visitor token, or a segment past the preview's signed limit. Playlists are rewritten so
every URI carries the same token; with a limit, each variant playlist ends at the limit
(``#EXT-X-ENDLIST``), as a VOD service's 试看 does, and the captions lose their cues past it
(ADR 0329): the words of the rest are what the visitor would enrol for.
"""

from __future__ import annotations

import re
import time
from urllib.parse import urljoin

from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from . import conf, delivery, previewtoken
from .previewtoken import PARAM, Refused

REASONS = {
    "bad_preview_token": _("This preview link is not valid. Reload the page to watch the preview."),
    "preview_expired": _("This preview link has expired. Reload the page to watch the preview again."),
    "other_video": _("This preview link is for another video."),
    "other_visitor": _("This preview link belongs to another visitor. Reload the page to get your own."),
    "beyond_preview": _("The preview ends here. Enrol in the course to watch the rest."),
    "not_found": _("There is no such video."),
}
#: The still and the words a preview shows beside the ladder (seek-bar thumbnails: not in previews).
SIDE_FILE = re.compile(r"^(poster\.jpg|captions_\d{1,2}\.vtt)$")
CUE_START = re.compile(r"^\s*(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{3})\s+-->")


def _refuse(code: str, status: int = 403) -> JsonResponse:
    response = JsonResponse({"error": code, "detail": str(REASONS[code])}, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


def _session_key(request: HttpRequest) -> str | None:
    session = getattr(request, "session", None)
    return session.session_key if session is not None else None


@require_http_methods(["GET", "HEAD"])
def serve(request: HttpRequest, asset: str, path: str) -> HttpResponse:
    """A playlist, the key, a segment, the poster or a captions track of ``asset``, to a valid token only."""
    side = bool(SIDE_FILE.match(path))
    if not delivery.ASSET.match(asset) or not (side or delivery.HLS_FILE.match(path)):
        return _refuse("not_found", 404)
    token = request.GET.get(PARAM, "")
    try:
        grant = previewtoken.verify(token, asset, _session_key(request), time.time())
    except Refused as exc:
        return _refuse(exc.code)
    if path == "key":
        return delivery.asset_key(asset)
    name = f"{conf.storage_prefix()}/{asset}/{path}"
    if not default_storage.exists(name):
        return _refuse("not_found", 404)
    if side:
        return _side_file(name, grant.limit)
    if path.endswith(".m3u8"):
        with default_storage.open(name, "rb") as handle:
            text = handle.read().decode("utf-8", errors="replace")
        body = rewrite(text, request.path, token, grant.limit)
        response = HttpResponse(body.encode("utf-8"), content_type=delivery.TYPES[".m3u8"])
        response["Cache-Control"] = "private, no-store"
        return response
    if grant.limit and segment_start(asset, path) >= grant.limit:
        return _refuse("beyond_preview")
    return delivery.send_segment(name)


def rewrite(text: str, playlist_path: str, token: str, limit: int) -> str:
    """The playlist with absolute URIs carrying the token; a variant playlist cut at ``limit`` seconds."""
    out, clock, cut = [], 0.0, False
    for line in text.splitlines():
        if line.startswith("#EXTINF:"):
            if limit and clock >= limit:
                cut = True
                break
            clock += float(line[8:].split(",", 1)[0] or 0)
        if line.startswith("#EXT-X-KEY:") and 'URI="' in line:
            head, _quote, rest = line.partition('URI="')
            uri, _end, tail = rest.partition('"')
            line = f'{head}URI="{_with_token(urljoin(playlist_path, uri), token)}"{tail}'
        elif line and not line.startswith("#"):
            line = _with_token(urljoin(playlist_path, line.strip()), token)
        out.append(line)
    if cut:
        out.append("#EXT-X-ENDLIST")
    return "\n".join(out) + "\n"


def _with_token(path: str, token: str) -> str:
    return f"{path}?{PARAM}={token}"


def segment_start(asset: str, path: str) -> float:
    """Where a segment starts in its rendition, from the rendition's playlist (past the end if absent)."""
    folder, _slash, segment = path.rpartition("/")
    name = f"{conf.storage_prefix()}/{asset}/{folder}/index.m3u8"
    if not default_storage.exists(name):
        return float("inf")
    with default_storage.open(name, "rb") as handle:
        text = handle.read().decode("utf-8", errors="replace")
    clock = pending = 0.0
    for line in text.splitlines():
        if line.startswith("#EXTINF:"):
            pending = float(line[8:].split(",", 1)[0] or 0)
        elif line.strip() == segment:
            return clock
        elif line and not line.startswith("#"):
            clock += pending
    return float("inf")


def _side_file(name: str, limit: int) -> HttpResponse:
    """The poster, or a captions track (cut at the preview's limit when it has one)."""
    if not (limit and name.endswith(".vtt")):
        return delivery.send_side_file(name, "private, no-store")
    with default_storage.open(name, "rb") as handle:
        text = handle.read().decode("utf-8", errors="replace")
    response = HttpResponse(cut_captions(text, limit).encode("utf-8"), content_type="text/vtt; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


def cut_captions(text: str, limit: int) -> str:
    """The WebVTT track without the cues that start at or after ``limit`` seconds."""
    kept = []
    for block in re.split(r"\r?\n\r?\n", text.strip()):
        starts = [CUE_START.match(line) for line in block.splitlines()]
        found = next((m for m in starts if m), None)
        if found is not None:
            hours, minutes, seconds, millis = (int(g or 0) for g in found.groups())
            if hours * 3600 + minutes * 60 + seconds + millis / 1000 >= limit:
                continue
        kept.append(block)
    return "\n\n".join(kept) + "\n"
