"""Session-bound HLS delivery: every playlist and segment URL is signed for one playback session.

The ledger signs (``xueshi_studytime.api``, ADR 0052/0053): HMAC over learner, block, path, expiry,
session and, for a segment, its time span. Here a request is served only when

1. the signature is valid and unexpired (a forged, altered or stale URL: 403 ``bad_signature``);
2. the signed-in learner is the one it was signed for (403 ``other_learner``);
3. it carries a session and that session still holds the learner's playback lease (403
   ``session_ended``): a URL dies with its session, so a copied playlist stops working within
   two heartbeats of the learner leaving the page.

With ``XUESHI_MEDIA_HLS_AES`` (the default) segments are AES-128 encrypted and the playlist's
key URI is signed like the rest: the key is released only under the same three checks.

A playlist is answered by Django, rewritten so its URIs are signed for the same session. A segment
is logged (the ledger's delivery record and this app's fetch log), then its bytes are served by
nginx/Caddy through ``X-Accel-Redirect`` when ``XUESHI_MEDIA_ACCEL_REDIRECT_PREFIX`` is set, else
streamed by Django (the sandbox). ADR 0262.
"""

from __future__ import annotations

import re
import time

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.views.decorators.http import require_http_methods

from xueshi_studytime import api as ledger

from . import conf, fetchlog, objectstore

ASSET = re.compile(r"^[0-9a-f]{32}$")
HLS_FILE = re.compile(r"^(master\.m3u8|key|\d{3,4}p/index\.m3u8|\d{3,4}p/seg_\d{5}\.ts)$")
TYPES = {".m3u8": "application/vnd.apple.mpegurl", ".ts": "video/mp2t"}


def _refuse(code: str, status: int = 403) -> JsonResponse:
    response = JsonResponse({"error": code}, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "HEAD"])
def serve(request: HttpRequest, asset: str, path: str) -> HttpResponse:
    """One playlist or segment of an asset, for the session its URL was signed for."""
    if not ASSET.match(asset) or not HLS_FILE.match(path):
        return _refuse("not_found", 404)
    signed = ledger.verify_media_url(request.path, request.GET.get("xst", ""), request.GET.get("xsr", ""))
    if signed is None:
        return _refuse("bad_signature")
    if not request.user.is_authenticated or request.user.pk != signed.user_id:
        return _refuse("other_learner")
    if not signed.session_id or not ledger.media_session_live(signed.user_id, signed.session_id):
        return _refuse("session_ended")
    if path == "key":
        return _key(asset, signed.session_id, request.path)
    name = f"{conf.storage_prefix()}/{asset}/{path}"
    if not default_storage.exists(name):
        return _refuse("not_found", 404)
    if path.endswith(".m3u8"):
        return _playlist(request, name, signed)
    size = default_storage.size(name)
    ledger.record_media_delivery(signed, request.path, 0, size, size)
    fetchlog.append(signed.session_id, time.time(), request.path, signed.span)
    return send_segment(name)


def send_segment(name: str) -> HttpResponse:
    """The bytes of a verified segment, never through Django where a store or web server can send them.

    A presigned object-storage redirect (ADR 0326), else X-Accel-Redirect (ADR 0262), else streamed.
    """
    accel = conf.accel_redirect_prefix()
    presigned = objectstore.presigned_url(name) if conf.presigned_seconds() else None
    if presigned:
        response = HttpResponseRedirect(presigned)
    elif accel:
        response = HttpResponse(content_type=TYPES[".ts"])
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + name
    else:
        response = FileResponse(default_storage.open(name, "rb"), content_type=TYPES[".ts"])
    response["Cache-Control"] = "private, no-store"
    return response


def _key(asset: str, session_id: str, path: str) -> HttpResponse:
    """The asset's AES-128 key, to the session that holds the lease (checked by the caller) only."""
    response = asset_key(asset)
    if response.status_code == 200:
        fetchlog.append(session_id, time.time(), path, None)
    return response


def asset_key(asset: str) -> HttpResponse:
    """The asset's AES-128 key; the caller has checked the session or the preview token."""
    from .models import Asset

    found = Asset.objects.filter(pk=asset).only("hls_key").first()
    if found is None or found.hls_key is None:
        return _refuse("not_found", 404)
    response = HttpResponse(found.hls_key.reveal(), content_type="application/octet-stream")
    response["Cache-Control"] = "private, no-store"
    return response


def _playlist(request: HttpRequest, name: str, signed: object) -> HttpResponse:
    with default_storage.open(name, "rb") as handle:
        text = handle.read().decode("utf-8", errors="replace")
    body = ledger.sign_media_playlist(text, request.path, signed).encode("utf-8")
    ledger.record_media_delivery(signed, request.path, 0, len(body), len(body))
    fetchlog.append(signed.session_id, time.time(), request.path, None)  # type: ignore[attr-defined]
    response = HttpResponse(body, content_type=TYPES[".m3u8"])
    response["Cache-Control"] = "private, no-store"
    return response


SIDE_FILE = re.compile(r"^(poster\.jpg|thumbnails\.vtt|thumbs_\d{3}\.jpg|captions_\d{1,2}\.vtt)$")


@require_http_methods(["GET", "HEAD"])
def serve_file(request: HttpRequest, asset: str, path: str) -> HttpResponse:
    """The poster, seek-bar thumbnails and captions: for the course's learners and team, unsigned.

    They show no more than a still and the words, so they are cacheable by the browser and need no
    session; the video itself is only ever served by ``serve``.
    """
    from xueshi_core.api import may_study

    from .models import Asset

    if not ASSET.match(asset) or not SIDE_FILE.match(path):
        return _refuse("not_found", 404)
    if not request.user.is_authenticated:
        return _refuse("not_signed_in", 401)
    found = Asset.objects.filter(pk=asset).only("course_key").first()
    if found is None or not may_study(request.user, found.course_key):
        return _refuse("not_found", 404)
    name = f"{conf.storage_prefix()}/{asset}/{path}"
    if not default_storage.exists(name):
        return _refuse("not_found", 404)
    return send_side_file(name, "private, max-age=3600")


def send_side_file(name: str, cache: str) -> HttpResponse:
    """A poster, thumbnail or captions file the caller has checked, through the web server if it can."""
    kind = "text/vtt; charset=utf-8" if name.endswith(".vtt") else "image/jpeg"
    accel = conf.accel_redirect_prefix()
    if accel:
        response = HttpResponse(content_type=kind)
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + name
    else:
        response = FileResponse(default_storage.open(name, "rb"), content_type=kind)
    response["Cache-Control"] = cache
    return response
