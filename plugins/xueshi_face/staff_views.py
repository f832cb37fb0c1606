"""Staff endpoints: a learner's checks (no images), full views of photos and frames (audited), resets.

Authorisation is ``xueshi_core.permissions`` (ADR 0010): ``VIEW_FACE_CHECKS`` for the list,
``VIEW_FACE_IMAGES`` for a photo or frame, ``MANAGE_FACE`` for a reset, each for learners of the
caller's scope only (others answer 404, as if absent). A full view writes a ``PersonalDataView``
row before the image is sent, so it is a POST behind Django's CSRF check: a cross-site ``<img>``
cannot write audit rows, and a GET answers 405.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_GET, require_POST

from xueshi_core import audit
from xueshi_core.api import MANAGE_FACE, VIEW_FACE_CHECKS, VIEW_FACE_IMAGES, may_see_learner, requires
from xueshi_core.jsonbody import BadInput, loads_object

from . import checks, enrolment
from .http import error
from .models import FaceCheck

PAGE = 100


def _image_response(data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type="image/jpeg" if data[:2] == b"\xff\xd8" else "image/png")
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _purpose(request: Any) -> str:
    return (request.POST.get("purpose") or "").strip()


def _outside_scope(request: Any, action: str, user_id: int) -> JsonResponse | None:
    """A 404 when the learner is not in the caller's scope (their existence is not disclosed)."""
    if may_see_learner(request.user, action, user_id):
        return None
    return error(404, "not_found", "No such learner in your scope.")


@require_GET
@requires(VIEW_FACE_CHECKS, api=True)
def learner_checks(request: Any, user_id: int) -> JsonResponse:
    """The learner's checks, newest first (no images: digests only)."""
    if refused := _outside_scope(request, VIEW_FACE_CHECKS, user_id):
        return refused
    rows = FaceCheck.objects.filter(user_id=user_id).order_by("-checked_at")[:PAGE]
    fields = (
        "id",
        "context",
        "engine",
        "score",
        "threshold",
        "decision",
        "reason",
        "liveness",
        "image_digest",
    )
    results = [
        {
            **{name: getattr(row, name) for name in fields},
            "checked_at": row.checked_at.isoformat(),
            "course_key": str(row.course_key or ""),
            "usage_key": str(row.usage_key or ""),
            "image_kept": row.image is not None,
        }
        for row in rows
    ]
    return JsonResponse({"user_id": user_id, "results": results})


@require_POST
@requires(VIEW_FACE_IMAGES, api=True)
def enrolment_photo(request: Any, user_id: int) -> HttpResponse:
    """The registered photo, after recording the full view (form field ``purpose`` is required)."""
    if refused := _outside_scope(request, VIEW_FACE_IMAGES, user_id):
        return refused
    if not _purpose(request):
        return error(400, "purpose_required", "Say why you view this photo (form field purpose).")
    row = enrolment.enrolled(user_id)
    if row is None:
        return error(404, "not_enrolled", "This learner has no registered photo.")
    audit.record_view(request.user, user_id, audit.FACE_IMAGE, _purpose(request), request)
    return _image_response(enrolment.photo(row))


@require_POST
@requires(VIEW_FACE_IMAGES, api=True)
def check_frame(request: Any, check_id: int) -> HttpResponse:
    """A check's camera frame while it is retained, after recording the full view."""
    if not _purpose(request):
        return error(400, "purpose_required", "Say why you view this frame (form field purpose).")
    record = FaceCheck.objects.filter(pk=check_id).first()
    if record is None or _outside_scope(request, VIEW_FACE_IMAGES, record.user_id):
        return error(404, "not_found", "No such check.")
    if record.image is None:
        return error(410, "purged", "The frame was deleted after the retention period.")
    audit.record_view(request.user, record.user_id, audit.FACE_IMAGE, _purpose(request), request)
    return _image_response(checks.frame(record))


@require_POST
@requires(MANAGE_FACE, api=True)
def reset_enrolment(request: Any, user_id: int) -> JsonResponse:
    """Delete a learner's registered photo so they enrol again (JSON body ``{"reason": ...}``)."""
    if refused := _outside_scope(request, MANAGE_FACE, user_id):
        return refused
    try:
        reason = str(loads_object(request.body, empty_ok=True).get("reason", ""))
    except BadInput:
        return error(400, "bad_json", "Send a JSON object with a reason.")
    if not reason.strip():
        return error(400, "reason_required", "A reset needs a reason.")
    if not enrolment.reset(user_id, actor=request.user, reason=reason):
        return error(404, "not_enrolled", "This learner has no registered photo.")
    return JsonResponse({"reset": True})
