"""Authoring endpoints (Studio and the LMS): resumable upload, the course's video library, retry.

JSON in and out (``{"error": code, "detail": reason}`` on refusal, ADR 0020), guarded by
``permissions.may(user, MANAGE_MEDIA, course_key)``: operators and the course's own team.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from xueshi_core.guards import refusal
from xueshi_core.jsonbody import BadInput, error_body, read_stream
from xueshi_core.params import bounded_int, content_length, course_key
from xueshi_core.permissions import MANAGE_MEDIA, may

from . import conf, tasks, uploads
from .models import Asset, Upload

View = Callable[..., HttpResponse]


def _bad(exc: BadInput) -> JsonResponse:
    return JsonResponse(error_body(exc), status=exc.status)


def json_view(view: View) -> View:
    """Turn ``BadInput`` into its 4xx and refuse anonymous callers (401) before anything else."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return refusal(request, api=True)
        try:
            return view(request, *args, **kwargs)
        except BadInput as exc:
            return _bad(exc)

    return wrapper


def _require(request: HttpRequest, key: Any) -> None:
    if not may(request.user, MANAGE_MEDIA, course_key=key):
        raise BadInput("forbidden", _("Only the course team may manage this course's videos."), status=403)


def asset_json(asset: Asset) -> dict[str, Any]:
    """What the library and the block's editor show of one video."""
    return {
        "id": asset.pk.hex,
        "title": asset.title,
        "state": asset.state,
        "state_label": str(asset.get_state_display()),
        "progress": asset.progress,
        "duration": round(asset.duration, 3),
        "width": asset.width,
        "height": asset.height,
        "renditions": [r["name"] for r in asset.renditions],
        "error": asset.error[:300],
        "created": asset.created.isoformat(),
    }


def _upload(request: HttpRequest, upload_id: str) -> Upload:
    upload = Upload.objects.filter(pk=upload_id).first()
    if upload is None:
        raise BadInput("not_found", _("There is no such upload."), status=404)
    _require(request, upload.course_key)
    if upload.created_by_id != request.user.pk:
        raise BadInput("not_found", _("There is no such upload."), status=404)
    return upload


@require_http_methods(["POST"])
@json_view
def create_upload(request: HttpRequest) -> HttpResponse:
    """Start an upload: ``{"course_id", "filename", "size"}`` → ``{"id", "received", "chunk_bytes"}``."""
    data = read_stream(request)
    key = course_key(data.get("course_id"))
    _require(request, key)
    size = bounded_int(data.get("size"), "size", high=2**62)
    upload = uploads.start(request.user, key, str(data.get("filename") or "")[:1000], size)
    body = {"id": upload.pk.hex, "received": 0, "size": upload.size, "chunk_bytes": conf.max_chunk_bytes()}
    return JsonResponse(body, status=201)


@require_http_methods(["GET", "PUT"])
@json_view
def upload(request: HttpRequest, upload_id: str) -> HttpResponse:
    """``GET``: how many bytes arrived (resume from there). ``PUT``: one chunk at ``Upload-Offset``."""
    found = _upload(request, upload_id)
    if request.method == "PUT":
        offset = bounded_int(request.headers.get("Upload-Offset"), "Upload-Offset", high=2**62)
        try:
            received = uploads.append(found.pk, offset, request, content_length(request.META))
        except BadInput as exc:
            if exc.code == "offset_mismatch":
                return JsonResponse({**error_body(exc), "received": int(exc.reason)}, status=409)
            raise
        return JsonResponse({"id": found.pk.hex, "received": received, "size": found.size})
    return JsonResponse(
        {"id": found.pk.hex, "received": found.received, "size": found.size, "state": found.state}
    )


@require_http_methods(["POST"])
@json_view
def finish_upload(request: HttpRequest, upload_id: str) -> HttpResponse:
    """Check the file (ffprobe) and queue its transcoding; ``{"title"}`` optional."""
    found = _upload(request, upload_id)
    data = read_stream(request, empty_ok=True)
    asset = uploads.finish(found.pk, str(data.get("title") or "").strip())
    transaction.on_commit(lambda: tasks.enqueue(asset.pk))
    return JsonResponse(asset_json(asset), status=201)


@require_http_methods(["GET"])
@json_view
def course_assets(request: HttpRequest, course_id: str) -> HttpResponse:
    """The course's video library (newest first), for the library page and the block's editor."""
    key = course_key(course_id)
    _require(request, key)
    assets = Asset.objects.filter(course_key=key)[:500]
    return JsonResponse({"course_id": str(key), "assets": [asset_json(a) for a in assets]})


@require_http_methods(["POST"])
@json_view
def retry(request: HttpRequest, asset_id: str) -> HttpResponse:
    """Queue a failed job again; it resumes after the last step done."""
    asset = Asset.objects.filter(pk=asset_id).first()
    if asset is None:
        raise BadInput("not_found", _("There is no such video."), status=404)
    _require(request, asset.course_key)
    if asset.state != Asset.FAILED:
        raise BadInput("not_failed", _("Only a failed job can be retried."), status=409)
    Asset.objects.filter(pk=asset.pk).update(state=Asset.QUEUED, error="")
    transaction.on_commit(lambda: tasks.enqueue(asset.pk))
    asset.refresh_from_db()
    return JsonResponse(asset_json(asset))


@require_http_methods(["GET"])
def library(request: HttpRequest, course_id: str) -> HttpResponse:
    """The course's video library page: upload with progress, jobs with their progress and errors."""
    if not request.user.is_authenticated:
        return refusal(request, api=False)
    try:
        key = course_key(course_id)
    except BadInput as exc:
        raise Http404(exc.reason) from exc
    if not may(request.user, MANAGE_MEDIA, course_key=key):
        return refusal(request, api=False)
    config = {"course_id": str(key), "max_bytes": conf.max_upload_bytes()}
    return render(request, "xueshi_media/library.html", {"course_key": key, "config": json.dumps(config)})
