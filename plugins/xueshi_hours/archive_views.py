"""Pages of the learning archive (学习档案) and the printable hours list (学时明细 PDF).

A learner sees their own archive. Staff whose roles grant ``view_learners`` open a learner's
archive within their scope (ADR 0010; outside it is a 404, as if absent): they state why, by POST
behind Django's CSRF check, and each opening and each printed list writes a row to core's
personal-data audit before anything is shown (ADR 0116). Personal data is masked throughout.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xueshi_core import audit
from xueshi_core.api import VIEW_LEARNERS, may_see_learner, requires

from . import accounts, archive, archive_pdf, labels
from .data import HoursError

ARCHIVE_FIELD, HOURS_LIST_FIELD = "learning_archive", "hours_list"
PURPOSE_MAX = 200
#: An account that cannot be computed, as the problem page words it.
PDF_PROBLEMS = {"no_rule": "no_hours_rule", "no_profile": "no_profile"}


def _year(request: Any) -> int | None:
    raw = request.GET.get("year", "") or request.POST.get("year", "")
    if not raw:
        return None
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise ValueError(raw)
    return int(raw)


def _problem(request: Any, code: str, status: int) -> HttpResponse:
    return render(request, "xueshi_hours/problem.html", {"code": code}, status=status)


def _context(user: Any, year: int | None, *, staff_view: bool) -> dict[str, Any]:
    from xueshi_identity import api as identity

    record = archive.build_archive(user, year)
    account = record.account
    return {
        "archive": record,
        "account": account,
        "profile": identity.get_profile(user.pk),
        "unit": labels.UNITS.get(account.unit, account.unit) if account else "",
        "by_category": [
            (labels.CATEGORIES.get(k, k), v, account.required_by_category.get(k))
            for k, v in account.earned_by_category.items()
        ]
        if account
        else [],
        "missing": [labels.missing_text(code) for code in account.missing] if account else [],
        "other_lines": [
            {
                "line": x,
                "source": labels.SOURCES.get(x.source, x.source),
                "reason": labels.REASONS.get(x.reason, x.reason),
            }
            for x in record.other_lines
        ],
        "years": range(accounts.today().year, accounts.today().year - 5, -1),
        "staff_view": staff_view,
        "subject": user,
    }


@require_GET
@login_required
def my_archive(request: Any) -> HttpResponse:
    """学习档案: every course, day-by-day minutes, checkpoints, practice and exams, hours, certificates."""
    try:
        year = _year(request)
    except ValueError:
        return _problem(request, "bad_year", 400)
    return render(request, "xueshi_hours/archive.html", _context(request.user, year, staff_view=False))


def _pdf_response(request: Any, account: Any) -> HttpResponse:
    try:
        pdf = archive_pdf.hours_list_pdf(account)
    except ImportError:  # the PDF renderer (WeasyPrint) is not installed on this site
        return _problem(request, "pdf_unavailable", 503)
    response = HttpResponse(pdf, content_type="application/pdf")
    label = account.period_label.replace("~", "_")
    response["Content-Disposition"] = f'attachment; filename="xueshi-hours-{label}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@login_required
def my_hours_pdf(request: Any) -> HttpResponse:
    """The learner's own 学时明细 as a PDF (404 with the reason when no rule covers them)."""
    try:
        account = accounts.hour_account(request.user.pk, _year(request))
    except ValueError:
        return _problem(request, "bad_year", 400)
    except HoursError as exc:
        return _problem(request, PDF_PROBLEMS.get(exc.code, "not_found"), 404)
    return _pdf_response(request, account)


def _learner_in_scope(request: Any, user_id: int) -> Any:
    """The learner, if the caller's scope covers them; 404 otherwise (as if absent)."""
    learner = get_user_model().objects.filter(pk=user_id).first()
    if learner is None or not may_see_learner(request.user, VIEW_LEARNERS, user_id):
        raise Http404
    return learner


def _purpose(request: Any) -> str:
    return str(request.POST.get("purpose", "")).strip()[:PURPOSE_MAX]


@requires(VIEW_LEARNERS)
@require_http_methods(["GET", "POST"])
def staff_archive(request: Any, user_id: int) -> HttpResponse:
    """A learner's archive for staff: GET asks why; POST records the view, then shows it (masked)."""
    from xueshi_identity import api as identity

    learner = _learner_in_scope(request, user_id)
    try:
        year = _year(request)
    except ValueError:
        return _problem(request, "bad_year", 400)
    purpose = _purpose(request)
    if request.method == "GET" or not purpose:
        context = {"subject": learner, "profile": identity.get_profile(user_id), "year": year or ""}
        status = 400 if request.method == "POST" else 200
        return render(request, "xueshi_hours/archive_purpose.html", context, status=status)
    audit.record_view(request.user, user_id, ARCHIVE_FIELD, purpose, request)
    context = _context(learner, year, staff_view=True)
    context["purpose"] = purpose
    return render(request, "xueshi_hours/archive.html", context)


@requires(VIEW_LEARNERS)
@require_POST
def staff_hours_pdf(request: Any, user_id: int) -> HttpResponse:
    """A learner's 学时明细 PDF for staff in scope; recorded in the audit like the archive."""
    _learner_in_scope(request, user_id)
    purpose = _purpose(request)
    if not purpose:
        return _problem(request, "purpose_required", 400)
    try:
        account = accounts.hour_account(user_id, _year(request))
    except ValueError:
        return _problem(request, "bad_year", 400)
    except HoursError as exc:
        return _problem(request, PDF_PROBLEMS.get(exc.code, "not_found"), 404)
    audit.record_view(request.user, user_id, HOURS_LIST_FIELD, purpose, request)
    return _pdf_response(request, account)
