"""Staff review of registered photos: a queue of pending ones, approve or reject with a reason.

Authorisation is the one permission model (``xueshi_core.permissions``, ADR 0010): reviewing needs
``MANAGE_FACE`` and covers only learners of the reviewer's scope (the queue lists them only; any
other learner answers 404, as if absent). Seeing the photo is a full view of personal data: it
happens on POST (with CSRF, so a cross-site image cannot write the audit trail), needs
``VIEW_FACE_IMAGES`` over that learner and a purpose, and is audited before the image is shown.
Decisions are POSTs too and are kept as enrolment events.
"""

from __future__ import annotations

import base64
from typing import Any

from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xueshi_core import audit
from xueshi_core.api import MANAGE_FACE, VIEW_FACE_IMAGES, may_see_learner, requires, scope_of
from xueshi_core.jsonbody import BadInput, loads_object

from . import approval
from .http import error
from .models import FaceEnrolment, FaceEnrolmentEvent, OfficialPhoto

QUEUE_PAGE = 200


def _data_uri(data: bytes) -> str:
    kind = "jpeg" if data[:2] == b"\xff\xd8" else "png" if data[:4] == b"\x89PNG" else "webp"
    return f"data:image/{kind};base64,{base64.b64encode(data).decode('ascii')}"


@require_GET
@requires(MANAGE_FACE)
def review_queue(request: Any) -> HttpResponse:
    """Pending photos of learners in the reviewer's scope, oldest first (no images on this page)."""
    pending = FaceEnrolment.objects.filter(status=FaceEnrolment.PENDING)
    rows = list(
        scope_of(request.user)
        .filter_by_user(pending)
        .select_related("user")
        .order_by("enrolled_at")[:QUEUE_PAGE]
    )
    return render(request, "xueshi_face/review_queue.html", {"rows": rows})


def _show_photos(request: Any, row: FaceEnrolment) -> dict[str, Any]:
    purpose = (request.POST.get("purpose") or "").strip()
    if not may_see_learner(request.user, VIEW_FACE_IMAGES, row.user_id):
        return {"problem": _("Your roles do not allow full views of personal data.")}
    if not purpose:
        return {"problem": _("Say why you view this photo.")}
    audit.record_view(request.user, row.user_id, audit.FACE_IMAGE, purpose, request)
    official = OfficialPhoto.objects.filter(user_id=row.user_id).first()
    return {
        "photo": _data_uri(row.image.reveal()),
        "official": _data_uri(official.image.reveal()) if official else "",
    }


@require_http_methods(["GET", "POST"])
@requires(MANAGE_FACE)
def review_page(request: Any, user_id: int) -> HttpResponse:
    """One learner's photo: POST ``action`` = ``show`` (audited view), ``approve`` or ``reject``."""
    row = FaceEnrolment.objects.select_related("user").filter(user_id=user_id).first()
    if row is None or not may_see_learner(request.user, MANAGE_FACE, user_id):
        message = _("This learner has no registered photo.")
        return render(request, "xueshi_face/problem.html", {"message": message}, status=404)
    context: dict[str, Any] = {"row": row}
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "show":
        context |= _show_photos(request, row)
    elif action in ("approve", "reject"):
        code, problem = _decide(request, user_id, action, str(request.POST.get("reason", "")))
        if not code:
            return redirect("xueshi_face:review-queue")
        context["problem"] = problem
    context["events"] = FaceEnrolmentEvent.objects.filter(user_id=user_id).order_by("-at")[:20]
    return render(request, "xueshi_face/review.html", context, status=400 if context.get("problem") else 200)


def _decide(request: Any, user_id: int, action: str, reason: str) -> tuple[str, str]:
    """Approve or reject; ``(code, sentence)`` of a refusal, or ``("", "")`` when done."""
    try:
        if action == "approve":
            approval.approve(user_id, actor=request.user, reason=reason)
        else:
            approval.reject(user_id, actor=request.user, reason=reason)
    except ValueError:
        return "reason_required", _("A rejection needs a reason.")
    except approval.NotPending:
        return "not_pending", _("This photo was already decided.")
    return "", ""


@require_POST
@requires(MANAGE_FACE, api=True)
def review_api(request: Any, user_id: int) -> JsonResponse:
    """JSON ``{"decision": "approve"|"reject", "reason": ...}``: the same decision for scripts and apps."""
    if not may_see_learner(request.user, MANAGE_FACE, user_id):
        return error(404, "not_found", "No such learner in your scope.")
    try:
        body: dict[str, Any] | None = loads_object(request.body, empty_ok=True)
    except BadInput:
        body = None
    if body is None or body.get("decision") not in ("approve", "reject"):
        return error(400, "bad_request", 'Send {"decision": "approve" or "reject", "reason": "..."}.')
    code, problem = _decide(request, user_id, str(body["decision"]), str(body.get("reason") or ""))
    if code:
        return error(409 if code == "not_pending" else 400, code, problem)
    row = FaceEnrolment.objects.get(user_id=user_id)
    return JsonResponse({"user_id": user_id, "status": row.status})
