"""Pages and JSON endpoints of face checks (mounted by the LMS at ``/xueshi/face/``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import conf, consent, enrolment, liveness, tokens
from .checks import EnrolmentPending, EnrolmentRejected, NotEnrolled, run_check
from .data import PASSED, SIGNIN
from .enrolment import AlreadyEnrolled
from .http import api_login_required, error, throttled, uploaded
from .images import ImageRejected
from .messages import CONSENT_REQUIRED, POSE_INSTRUCTIONS, decision_message, refusal
from .middleware import SESSION_FLAG


def _safe_next(request: Any) -> str:
    target = request.GET.get("next", "")
    ok = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    return target if ok else ""


@require_GET
@login_required
def check_page(request: Any) -> HttpResponse:
    """The camera page: standalone, or inside the player's hold overlay (an iframe)."""
    token = request.GET.get("t", "")
    try:
        context = tokens.read(token, request.user.id)
    except tokens.BadToken as exc:
        return render(request, "xueshi_face/problem.html", {"message": str(exc)}, status=400)
    row = enrolment.enrolled(request.user.id)
    return render(
        request,
        "xueshi_face/check.html",
        {
            "token": token,
            "context": context,
            "enrolled": row is not None and row.status != row.REJECTED,
            "enrolment": row,
            "waiting": row is not None and not row.trusted and conf.pending_enrolment() == conf.PENDING_HOLD,
            "liveness": conf.liveness_mode() != conf.LIVENESS_OFF,
            "next": _safe_next(request),
            "consented": consent.given(request.user),  # no camera before the consent (PIPL art. 29)
            "consent_required": CONSENT_REQUIRED,
        },
    )


@require_GET
@login_required
def enrol_page(request: Any) -> HttpResponse:
    """Upload or take the registered photo (once; staff reset it)."""
    row = enrolment.enrolled(request.user.id)
    rejected = row if row is not None and row.status == row.REJECTED else None
    context = {
        "enrolment": None if rejected else row,
        "rejected": rejected,
        "next": _safe_next(request),
        "consented": consent.given(request.user),
        "consent_notice": consent.notice(),
        "withdrawn": request.GET.get("withdrawn") == "1",
    }
    return render(request, "xueshi_face/enrol.html", context)


@require_POST
@login_required
def give_consent(request: Any) -> HttpResponse:
    """Consent without a new photo (a photo registered before consent was asked); box required."""
    if consent.ticked(request):
        consent.give(request.user, request)
    return redirect(reverse("xueshi_face:enrol"))


@require_POST
@login_required
def withdraw_consent(request: Any) -> HttpResponse:
    """Withdraw the face consent (a form post with CSRF): photos and frames are erased at once."""
    consent.withdraw(request.user)
    return redirect(reverse("xueshi_face:enrol") + "?withdrawn=1")


def _consent_required() -> JsonResponse:
    return error(403, "consent_required", str(CONSENT_REQUIRED), enrol_url=reverse("xueshi_face:enrol"))


@require_POST
@api_login_required
def challenge_api(request: Any) -> JsonResponse:
    """Start a check: a random pose sequence and its single-use nonce (liveness on), else nothing."""
    if throttled(request.user.id, "challenges", per_check=2):
        return error(
            429, "too_many_checks", _("Too many face checks in a short time. Please wait and try again.")
        )
    if conf.liveness_mode() == conf.LIVENESS_OFF:
        return JsonResponse({"nonce": "", "poses": [], "instructions": [], "expires_in": None}, status=201)
    challenge = liveness.issue(request.user)
    return JsonResponse(
        {
            "nonce": challenge.nonce,
            "poses": list(challenge.poses),
            "instructions": [str(POSE_INSTRUCTIONS[pose]) for pose in challenge.poses],
            "expires_in": challenge.expires_in,
        },
        status=201,
    )


def _poses(request: Any) -> tuple[str, ...]:
    """The poses of the challenge the frames answer (spent now); none when liveness is off."""
    if conf.liveness_mode() == conf.LIVENESS_OFF:
        return ()
    return liveness.consume(request.user, str(request.POST.get("nonce", "")))


@require_POST
@api_login_required
def check_api(request: Any) -> JsonResponse:
    """Run a check on the posted frames in the context of token ``t``.

    Multipart fields: ``frame`` (one per pose of the challenge), ``nonce`` (the challenge's), ``t``.
    """
    if throttled(request.user.id):
        return error(
            429, "too_many_checks", _("Too many face checks in a short time. Please wait and try again.")
        )
    frames, problem = uploaded(request, "frame", conf.max_image_bytes())
    if problem:
        return problem
    try:
        context = tokens.read(request.POST.get("t", ""), request.user.id)
        poses = _poses(request)
        result = run_check(request.user, frames, context, request, poses)
    except tokens.BadToken as exc:
        return error(400, "bad_token", str(exc))
    except liveness.ChallengeRefused as exc:
        return error(exc.status, exc.code, refusal(exc.code, str(exc)))
    except consent.ConsentMissing:
        return _consent_required()
    except EnrolmentPending:
        return error(409, "enrolment_pending", refusal("enrolment_pending", "Your photo awaits approval."))
    except EnrolmentRejected as exc:
        message = refusal("enrolment_rejected", "Your photo was not accepted.")
        return error(
            409, "enrolment_rejected", message, reason=exc.reason, enrol_url=reverse("xueshi_face:enrol")
        )
    except ImageRejected as exc:
        return error(exc.status, exc.code, refusal(exc.code, str(exc)))
    except NotEnrolled:
        enrol_url = reverse("xueshi_face:enrol")
        return error(409, "not_enrolled", _("Register your photo before a face check."), enrol_url=enrol_url)
    decision = result.decision
    if decision.decision == PASSED and context.kind == SIGNIN:
        request.session.pop(SESSION_FLAG, None)
    return JsonResponse(
        {
            "check_id": result.record.pk,
            "decision": decision.decision,
            "passed": decision.decision == PASSED,
            "score": decision.score,
            "threshold": decision.threshold,
            "liveness": decision.liveness,
            "reason": decision.reason,
            "message": decision_message(decision),
            "hold_kind": context.hold_kind,
            "hold_released": result.hold_released,
        }
    )


@require_http_methods(["GET", "POST"])
@api_login_required
def enrolment_api(request: Any) -> JsonResponse:
    """GET: whether the learner is enrolled and consents. POST (multipart): enrol.

    Fields: ``photo``, ``source``, and ``consent_face`` = ``on`` when the box under the notice is ticked.
    """
    if request.method == "GET":
        row = enrolment.enrolled(request.user.id)
        return JsonResponse(
            {
                "enrolled": row is not None,
                "enrolled_at": row.enrolled_at.isoformat() if row else None,
                "status": row.status if row else None,
                "consent": consent.given(request.user),
            }
        )
    photos, problem = uploaded(request, "photo", conf.max_image_bytes())
    if problem:
        return problem
    if len(photos) != 1:
        return error(400, "one_photo", _("Send exactly one photo."))
    source = request.POST.get("source", "upload")
    if consent.ticked(request):
        consent.give(request.user, request)
    try:
        row = enrolment.enrol(request.user, photos[0], source="camera" if source == "camera" else "upload")
    except consent.ConsentMissing:
        return _consent_required()
    except ImageRejected as exc:
        return error(exc.status, exc.code, refusal(exc.code, str(exc)))
    except AlreadyEnrolled:
        return error(409, "already_enrolled", _("Your photo is registered already; staff can reset it."))
    return JsonResponse(
        {"enrolled": True, "enrolled_at": row.enrolled_at.isoformat(), "status": row.status}, status=201
    )
