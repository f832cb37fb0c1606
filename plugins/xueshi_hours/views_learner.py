"""The learner's pages: "我的学时" (their hour account) and external hours they submit.

Only the signed-in learner's own records are shown; every figure comes from ``accounts`` (server
records), never from the page.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from xueshi_core.api import may_see_learner
from xueshi_core.permissions import DECIDE_EXTERNAL_HOURS

from . import accounts, labels
from .data import HoursError
from .forms import ExternalHoursForm
from .models import ExternalHours


def _year(request: Any) -> int | None:
    raw = request.GET.get("year", "")
    if not raw:
        return None
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise ValueError(raw)
    return int(raw)


def _rows(account: Any) -> list[dict[str, Any]]:
    return [
        {
            "line": line,
            "source": labels.SOURCES.get(line.source, line.source),
            "category": labels.CATEGORIES.get(line.category, line.category),
            "reason": labels.REASONS.get(line.reason, line.reason),
        }
        for line in sorted(account.lines, key=lambda x: (x.day is None, x.day), reverse=True)
    ]


@require_GET
@login_required
def my_hours(request: Any) -> HttpResponse:
    """我的学时: earned by source and category, what the rule still requires, and why each line counts."""
    try:
        year = _year(request)
    except ValueError:
        return render(request, "xueshi_hours/problem.html", {"code": "bad_year"}, status=400)
    try:
        account = accounts.hour_account(request.user.pk, year)
    except HoursError as exc:
        return render(request, "xueshi_hours/mine.html", {"problem": exc.code}, status=200)
    by_source: dict[str, Any] = {}
    for line in account.lines:
        by_source[line.source] = by_source.get(line.source, 0) + line.hours
    context = {
        "account": account,
        "unit": labels.UNITS.get(account.unit, account.unit),
        "due": accounts.due_date(account),
        "rows": _rows(account),
        "by_source": [(labels.SOURCES.get(k, k), v) for k, v in by_source.items()],
        "by_category": [
            (labels.CATEGORIES.get(k, k), v, account.required_by_category.get(k))
            for k, v in account.earned_by_category.items()
        ],
        "missing": [labels.missing_text(code) for code in account.missing],
        "years": range(account.period_start.year, account.period_start.year - 4, -1),
        "external": ExternalHours.objects.filter(user_id=request.user.pk).order_by("-submitted_at")[:20],
    }
    return render(request, "xueshi_hours/mine.html", context)


@require_GET
@login_required
def my_account_api(request: Any) -> JsonResponse:
    """The same account as JSON, for the mobile app and H5 pages."""
    try:
        account = accounts.hour_account(request.user.pk, _year(request))
    except ValueError:
        return JsonResponse({"error": "bad_year", "message": "year must be 2000-2100"}, status=400)
    except HoursError as exc:
        return JsonResponse({"error": exc.code, "message": exc.reason}, status=404)
    body = {
        "period": account.period_label,
        "rule": {"id": account.rule_id, "version": account.rule_version, "title": account.rule_title},
        "unit": account.unit,
        "required_total": str(account.required_total),
        "required_by_category": {k: str(v) for k, v in account.required_by_category.items()},
        "earned_total": str(account.earned_total),
        "earned_by_category": {k: str(v) for k, v in account.earned_by_category.items()},
        "met": account.met,
        "missing": list(account.missing),
        "lines": [
            {
                "source": x.source,
                "ref": x.ref,
                "title": x.title,
                "category": x.category,
                "day": x.day.isoformat() if x.day else None,
                "raw": str(x.raw),
                "hours": str(x.hours),
                "reason": x.reason,
            }
            for x in account.lines
        ],
    }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


@require_http_methods(["GET", "POST"])
@login_required
def submit_external(request: Any) -> HttpResponse:
    """A learner submits hours earned elsewhere with a proof; an operator decides later."""
    form = ExternalHoursForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            row = form.save(commit=False)
            row.user = request.user
            row.save()
            return redirect("xueshi_hours:mine")
        return render(request, "xueshi_hours/external_form.html", {"form": form}, status=400)
    return render(request, "xueshi_hours/external_form.html", {"form": form})


@require_GET
@login_required
def external_attachment(request: Any, pk: int) -> HttpResponse:
    """The proof: to its learner, or to a reviewer whose scope covers the learner (else 404)."""
    row = ExternalHours.objects.filter(pk=pk).first()
    if row is None or not (
        row.user_id == request.user.pk or may_see_learner(request.user, DECIDE_EXTERNAL_HOURS, row.user_id)
    ):
        raise Http404
    response = FileResponse(
        row.attachment.open("rb"), as_attachment=True, filename=row.attachment.name.rsplit("/", 1)[-1]
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
