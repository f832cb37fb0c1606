"""The learner's "我的证书" page: claim the year's certificate, download it, copy the credential."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from xueshi_core import permissions

from . import conf, links, snapshot
from .issuing import NotEligible, claim_year, issue_for_course
from .models import Certificate
from .retirement import is_retired_holder

log = logging.getLogger(__name__)

NOT_ELIGIBLE_TEXT = {
    "not_met": gettext_lazy("You have not met this year's requirement yet."),
    "no_profile": gettext_lazy(
        "Complete your real-name profile first: a certificate carries your real name."
    ),
    "no_rule": gettext_lazy("No study-hour rule applies to your region and personnel category."),
    "hours_unavailable": gettext_lazy("Study hours are not available on this site."),
    "not_completed": gettext_lazy("The course is not completed yet, or it has no declared hours."),
    "per_course_off": gettext_lazy("This site issues yearly certificates only."),
}


def _current_account(user_id: int) -> tuple[Any, str]:
    """The current period's hour account, or ``(None, message)`` when no rule gives one."""
    from xueshi_hours import api as hours

    try:
        return hours.hour_account(user_id), ""
    except hours.HoursError as exc:
        return None, str(
            NOT_ELIGIBLE_TEXT.get(getattr(exc, "code", ""), _("Your study hours cannot be computed."))
        )


def _row(cert: Certificate) -> dict[str, Any]:
    return {
        "cert": cert,
        "title": snapshot.title(cert.snapshot),
        "total": cert.snapshot["total"],
        "unit": snapshot.unit_label(cert.snapshot),
        "verify_url": links.verify_url(cert.serial, cert.check_code),
    }


@login_required
@require_GET
def my_certificates(request: HttpRequest) -> HttpResponse:
    """Own certificates, and whether this year's one may be claimed."""
    account, hours_message = _current_account(request.user.pk)
    mine = [_row(c) for c in Certificate.objects.filter(user_id=request.user.pk)]
    held = {(r["cert"].kind, r["cert"].period_label) for r in mine}
    claimable = bool(account and account.met and ("year", account.period_label) not in held)
    return render(
        request,
        "xueshi_certificates/mine.html",
        {
            "rows": mine,
            "account": account,
            "hours_message": hours_message,
            "claimable": claimable,
            "courses": _claimable_courses(account, {r["cert"].course_key for r in mine}),
        },
    )


def _claimable_courses(account: Any, held: set[str]) -> list[tuple[str, str]]:
    """(course key, title) of completed courses without a certificate, where per-course ones are on."""
    if account is None or not conf.per_course_enabled():
        return []
    found: dict[str, str] = {}
    for line in account.lines:
        if line.source == "course_completion" and line.ref not in held:
            found.setdefault(line.ref, line.title)
    return list(found.items())


@login_required
@require_POST
def claim_course(request: HttpRequest) -> HttpResponse:
    """Issue (or find) the certificate of one completed course, where the operator enabled them."""
    from django.contrib import messages

    course_key = request.POST.get("course_key", "").strip()
    if not course_key or len(course_key) > 255:
        return HttpResponse(_("Name the course."), status=400)
    try:
        issue_for_course(request.user.pk, course_key, issued_by=request.user)
    except NotEligible as exc:
        messages.error(
            request, str(NOT_ELIGIBLE_TEXT.get(exc.code, _("This certificate cannot be issued yet.")))
        )
    return redirect("xueshi_certificates:mine")


@login_required
@require_POST
def claim(request: HttpRequest) -> HttpResponse:
    """Issue (or find) this period's yearly certificate; back to the page either way."""
    from django.contrib import messages

    try:
        claim_year(request.user.pk, issued_by=request.user)
    except NotEligible as exc:
        messages.error(
            request, str(NOT_ELIGIBLE_TEXT.get(exc.code, _("This certificate cannot be issued yet.")))
        )
    return redirect("xueshi_certificates:mine")


def _own_or_managed(request: HttpRequest, serial: str) -> Certificate:
    cert = Certificate.objects.filter(serial=serial).first()
    if cert is None:
        raise Http404
    mine = cert.user_id == request.user.pk
    if not mine and not permissions.may_see_learner(
        request.user, permissions.MANAGE_CERTIFICATES, cert.user_id
    ):
        raise Http404  # as if absent: serials are not to be probed
    return cert


@login_required
@require_GET
def download_pdf(request: HttpRequest, serial: str) -> HttpResponse:
    """The certificate as a one-page A4 PDF, rendered from its snapshot."""
    from .documents import render_pdf
    from .pdf import PdfTemplateError

    cert = _own_or_managed(request, serial)
    if is_retired_holder(cert):
        return _kept_for_verification()
    try:
        pdf = render_pdf(cert)
    except PdfTemplateError as exc:  # the operator's template is broken: say so, never a 500
        log.error("certificate %s: PDF template error %s: %s", cert.serial, exc.reason, exc)
        return _pdf_unavailable(request, exc)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{cert.serial}.pdf"'
    return response


def _kept_for_verification() -> HttpResponse:
    """410: the holder's account was retired; the certificate is kept for verification, not reprinted."""
    text = _("The holder closed their account: this certificate is kept for verification only.")
    return HttpResponse(text, status=410, content_type="text/plain; charset=utf-8")


def _pdf_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    """503 page: learners read that the PDF is unavailable for now; certificate staff also read why."""
    staff = permissions.may(request.user, permissions.MANAGE_CERTIFICATES)
    context = {"reason": getattr(exc, "reason", ""), "detail": str(exc) if staff else "", "staff": staff}
    return render(request, "xueshi_certificates/pdf_unavailable.html", context, status=503)


@login_required
@require_GET
def credential_file(request: HttpRequest, serial: str) -> HttpResponse:
    """The signed credential (VC-JWT) as a file, for wallets and e-mail."""
    cert = _own_or_managed(request, serial)
    if is_retired_holder(cert):
        return _kept_for_verification()
    response = HttpResponse(cert.credential, content_type="application/vc+jwt")
    response["Content-Disposition"] = f'attachment; filename="{cert.serial}.jwt"'
    return response
