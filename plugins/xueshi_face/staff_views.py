"""Staff endpoints: a learner's checks (no images), full views of photos and frames (audited), resets.

Full views need a personal-data role (``xueshi_core.roles.can_view_personal_data``); each writes a
``PersonalDataView`` row before the image is sent. A reset needs staff status and a reason.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_GET, require_POST

from xueshi_core import audit
from xueshi_core.jsonbody import BadInput, loads_object
from xueshi_core.roles import can_view_personal_data

from . import checks, enrolment
from .http import api_login_required, error
from .models import FaceCheck

PAGE = 100


def _image_response(data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type="image/jpeg" if data[:2] == b"\xff\xd8" else "image/png")
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _purpose(request: Any) -> str:
    return (request.GET.get("purpose") or "").strip()


@require_GET
@api_login_required
def learner_checks(request: Any, user_id: int) -> JsonResponse:
    """The learner's checks, newest first (no images: digests only)."""
    if not (request.user.is_staff or can_view_personal_data(request.user)):
        return error(403, "forbidden", "Staff only.")
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
            "image_kept": bool(row.image),
        }
        for row in rows
    ]
    return JsonResponse({"user_id": user_id, "results": results})


@require_GET
@api_login_required
def enrolment_photo(request: Any, user_id: int) -> HttpResponse:
    """The registered photo, after recording the full view (``?purpose=`` is required)."""
    if not can_view_personal_data(request.user):
        return error(403, "forbidden", "Your roles do not allow full views of personal data.")
    if not _purpose(request):
        return error(400, "purpose_required", "Say why you view this photo (?purpose=...).")
    row = enrolment.enrolled(user_id)
    if row is None:
        return error(404, "not_enrolled", "This learner has no registered photo.")
    audit.record_view(request.user, user_id, audit.FACE_IMAGE, _purpose(request), request)
    return _image_response(enrolment.photo(row))


@require_GET
@api_login_required
def check_frame(request: Any, check_id: int) -> HttpResponse:
    """A check's camera frame while it is retained, after recording the full view."""
    if not can_view_personal_data(request.user):
        return error(403, "forbidden", "Your roles do not allow full views of personal data.")
    if not _purpose(request):
        return error(400, "purpose_required", "Say why you view this frame (?purpose=...).")
    record = FaceCheck.objects.filter(pk=check_id).first()
    if record is None:
        return error(404, "not_found", "No such check.")
    if not record.image:
        return error(410, "purged", "The frame was deleted after the retention period.")
    audit.record_view(request.user, record.user_id, audit.FACE_IMAGE, _purpose(request), request)
    return _image_response(checks.frame(record))


@require_POST
@api_login_required
def reset_enrolment(request: Any, user_id: int) -> JsonResponse:
    """Delete a learner's registered photo so they enrol again (JSON body ``{"reason": ...}``)."""
    if not request.user.is_staff:
        return error(403, "forbidden", "Staff only.")
    try:
        reason = str(loads_object(request.body, empty_ok=True).get("reason", ""))
    except BadInput:
        return error(400, "bad_json", "Send a JSON object with a reason.")
    if not reason.strip():
        return error(400, "reason_required", "A reset needs a reason.")
    if not enrolment.reset(user_id, actor=request.user, reason=reason):
        return error(404, "not_enrolled", "This learner has no registered photo.")
    return JsonResponse({"reset": True})
