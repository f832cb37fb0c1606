"""Public pages and files: verification (QR, serial, name + ID, pasted credential), JWKS, status lists.

No sign-in anywhere here (bureaus, employers and anyone holding a paper copy use them). Bad input
gets a page or JSON that says what was wrong, with a 4xx status, never a 500 (ADR 0124).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xueshi_core.jsonbody import BadInput, error_body, loads_object
from xueshi_core.masking import mask_name

from . import conf, keys, links, lookup, revocation, snapshot, throttle, verification
from .lookup_captcha import PersonLookupForm
from .models import Certificate

MAX_FIELD = 64


def public_facts(cert: Certificate) -> dict[str, Any]:
    """What a public page shows of a certificate: masked identity, hours, status, revocation."""
    snap = cert.snapshot
    return {
        "serial": cert.serial,
        "title": snapshot.title(snap),
        "holder_name": mask_name(snap["holder"]["name"]),
        "holder_id": snap["holder"]["id_masked"],
        "period": snap["period"]["label"],
        "total": snap["total"],
        "unit": snapshot.unit_label(snap),
        "by_category": [(label, str(value)) for label, value in snapshot.by_category_labelled(snap)],
        "issuer": snap["issuer"]["name"],
        "issued_on": snap["issued_on"],
        "rule": f"{snap['rule'].get('title') or snap['rule']['id']} (v{snap['rule']['version']})",
        "status": cert.status,
        "revoked": cert.is_revoked,
        "revoked_at": cert.revoked_at.date().isoformat() if cert.revoked_at else "",
        "revoke_reason": cert.revoke_reason,
    }


def _page(request: HttpRequest, status: int = 200, **context: Any) -> HttpResponse:
    context.setdefault("jwks_url", links.jwks_url())
    if "person_form" not in context and not context.get("found"):
        context["person_form"] = PersonLookupForm()  # a fresh captcha each time the form is shown
    return render(request, "xueshi_certificates/verify.html", context, status=status)


@require_GET
def verify_home(request: HttpRequest) -> HttpResponse:
    """The search page: serial + check code, name + ID number, or a pasted credential."""
    serial, code = request.GET.get("serial", ""), request.GET.get("code", "")
    if not (serial or code):
        return _page(request)
    return _by_code(request, serial[:MAX_FIELD], code[:MAX_FIELD])


@require_GET
def verify_code(request: HttpRequest, serial: str, check_code: str) -> HttpResponse:
    """The QR code's target: the certificate's public facts and status."""
    return _by_code(request, serial, check_code)


def _by_code(request: HttpRequest, serial: str, code: str) -> HttpResponse:
    cert = lookup.by_serial_and_code(serial, code)
    if cert is None:
        message = _("No certificate matches this serial and check code. Check both against the paper.")
        return _page(request, 404, not_found=message, serial=serial)
    return _page(request, found=[public_facts(cert)])


@require_POST
def verify_person(request: HttpRequest) -> HttpResponse:
    """Look-up by real name and ID number: an image captcha, then throttled, masked, audited."""
    form = PersonLookupForm(request.POST)
    if not form.is_valid():
        if "captcha" in form.errors and not ({"real_name", "id_number"} & set(form.errors)):
            error = form.errors["captcha"][0]
        else:
            error = _("Enter both the real name and the ID number.")
        return _page(request, 400, person_error=error, person_form=PersonLookupForm())
    name, number = form.cleaned_data["real_name"], form.cleaned_data["id_number"]
    id_type = form.cleaned_data["id_type"] or "resident_id"
    try:
        found = lookup.by_name_and_id(name, id_type, number, request)
    except lookup.Throttled:
        return _page(request, 429, person_error=_("Too many look-ups. Try again in an hour."))
    except throttle.RedisError:
        return _page(
            request, 503, person_error=_("Look-ups by name are unavailable for a moment. Try again later.")
        )
    if not found:
        return _page(request, 404, person_error=_("No certificate was found for this name and ID number."))
    return _page(request, found=[public_facts(c) for c in found])


@require_http_methods(["GET", "POST"])
def verify_credential_page(request: HttpRequest) -> HttpResponse:
    """Paste a credential (VC-JWT): the page says valid, revoked, forged or malformed, and why."""
    if request.method == "GET":
        return render(
            request,
            "xueshi_certificates/credential_check.html",
            {"jwks_url": links.jwks_url(), "status_list_url": links.status_list_url(conf.status_list_id())},
        )
    verdict = verification.verify_token(request.POST.get("credential", ""))
    status = 200 if verdict.status in (verification.VALID, verification.REVOKED) else 422
    return render(
        request,
        "xueshi_certificates/credential_check.html",
        {
            "verdict": verdict,
            "reason": verification.reason_text(verdict.code),
            "facts": public_facts(verdict.certificate) if verdict.certificate else None,
            "jwks_url": links.jwks_url(),
            "status_list_url": links.status_list_url(conf.status_list_id()),
        },
        status=status,
    )


@csrf_exempt  # a public, side-effect-free check that other systems call without a session
@require_POST
def verify_credential_api(request: HttpRequest) -> JsonResponse:
    """``{"credential": "<VC-JWT>"}`` → ``{"status", "code", "reason", "serial", "revoked_reason"}``."""
    try:
        body = loads_object(request.body)
    except BadInput as exc:
        return JsonResponse(error_body(exc), status=exc.status)
    if not isinstance(body.get("credential"), str):
        return JsonResponse(
            {"error": "credential_required", "detail": 'post {"credential": "<token>"}'}, status=400
        )
    verdict = verification.verify_token(body["credential"])
    cert = verdict.certificate
    answer = {
        "status": verdict.status,
        "code": verdict.code,
        "reason": verification.reason_text(verdict.code),
        "serial": cert.serial if cert else None,
        "revoked_reason": cert.revoke_reason if cert and cert.is_revoked else None,
    }
    return JsonResponse(
        answer, status=200 if verdict.status in (verification.VALID, verification.REVOKED) else 422
    )


@require_GET
@cache_control(public=True, max_age=300)
def jwks(request: HttpRequest) -> JsonResponse:
    """The issuer's public keys (current and retired), for offline verification."""
    return JsonResponse(keys.jwks())


@require_GET
@cache_control(public=True, max_age=3600)
def issuer_profile(request: HttpRequest) -> JsonResponse:
    """The issuer's OB 3.0 ``Profile`` (``issuer.id`` dereferences here)."""
    return JsonResponse(
        {
            "@context": [
                "https://www.w3.org/ns/credentials/v2",
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            ],
            "id": links.issuer_id(),
            "type": ["Profile"],
            "name": conf.issuer_name(),
            "jwks_uri": links.jwks_url(),
        }
    )


@require_GET
@cache_control(public=True, max_age=60)
def status_list(request: HttpRequest, list_id: int) -> HttpResponse:
    """The signed Bitstring Status List credential (``application/vc+jwt``)."""
    if not Certificate.objects.filter(status_list=list_id).exists() and list_id != 1:
        return JsonResponse({"error": "unknown_list", "detail": "no such status list"}, status=404)
    try:
        token = revocation.status_list_token(list_id)
    except keys.KeysMissing:
        return JsonResponse(
            {"error": "no_signing_key", "detail": "the issuer has no signing key"}, status=503
        )
    return HttpResponse(token, content_type="application/vc+jwt")
