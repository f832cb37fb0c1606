"""Staff pages of questionnaires: the list, the builder, publish/close, results with charts, QR, xlsx.

Building is ``MANAGE_QUESTIONNAIRES`` (operators and supervisors); results, the QR code and the
export are ``VIEW_QUESTIONNAIRE_RESULTS`` (also auditors), always confined to the viewer's scope
(``questionnaire_results``); the export also needs ``EXPORT`` and is recorded in the audit.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import wraps

from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xueshi_core.guards import requires
from xueshi_core.jsonbody import BadInput
from xueshi_core.permissions import EXPORT, MANAGE_QUESTIONNAIRES, VIEW_QUESTIONNAIRE_RESULTS, may

from . import questionnaire_results as results
from . import questionnaires
from .models import Question, Questionnaire
from .pages import optional_int, refuse

ECHARTS = "xueshi_stats/echarts/echarts.common.min.js"
EXAMPLE = (
    "你对本次培训的总体评价？ [单选] *\n- 满意\n- 基本满意\n- 不满意\n"
    "课程内容的实用性 [1-5] *\n意见和建议 [文本]\n"
)


def _row(pk: int) -> Questionnaire:
    row = Questionnaire.objects.filter(pk=pk).first()
    if row is None:
        raise BadInput("no_such_questionnaire", "there is no such questionnaire", 404)
    return row


def short_link(request: HttpRequest, row: Questionnaire) -> str:
    """The absolute short link the QR code carries."""
    return request.build_absolute_uri(reverse("xueshi_services:questionnaire", kwargs={"slug": row.slug}))


def _with_row(view: Callable[[HttpRequest, Questionnaire], HttpResponse]) -> Callable[..., HttpResponse]:
    """Give the view the questionnaire of the URL's ``pk``; an unknown one is refused (404 page)."""

    @wraps(view)
    def wrapper(request: HttpRequest, pk: int) -> HttpResponse:
        try:
            row = _row(pk)
        except BadInput as exc:
            return refuse(request, exc)
        return view(request, row)

    return wrapper


def _echarts_url() -> str:
    """ECharts as the statistics app ships it (ADR 0155), or nothing: the tables stand alone."""
    from django.contrib.staticfiles import finders
    from django.templatetags.static import static

    return static(ECHARTS) if finders.find(ECHARTS) else ""


@requires(VIEW_QUESTIONNAIRE_RESULTS)
@require_GET
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    """Every questionnaire, newest first, with its state and window."""
    page = Paginator(Questionnaire.objects.all(), 50).get_page(optional_int(request.GET.get("page")) or 1)
    context = {"page": page, "may_build": may(request.user, MANAGE_QUESTIONNAIRES)}
    return render(request, "xueshi_services/staff_questionnaires.html", context)


@requires(MANAGE_QUESTIONNAIRES)
@require_http_methods(["GET", "POST"])
def questionnaire_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The builder: title, window (Asia/Shanghai), audience, anonymity and the questions as text."""
    try:
        row = _row(pk) if pk else None
        if request.method == "POST":
            row = questionnaires.save(request.user, request.POST, row)
            return redirect("xueshi_services:staff-questionnaire", pk=row.pk)
    except BadInput as exc:
        return refuse(request, exc)
    values = {
        "title": row.title if row else "",
        "description": row.description if row else "",
        "starts_at": questionnaires.shown_time(row.starts_at) if row else "",
        "ends_at": questionnaires.shown_time(row.ends_at) if row else "",
        "anonymous": row.anonymous if row else False,
        "audience_courses": row.audience_courses if row else "",
        "audience_regions": row.audience_regions if row else "",
        "audience_categories": row.audience_categories if row else "",
        "source": row.source if row else EXAMPLE,
    }
    frozen = bool(row and row.participations.exists())
    return render(
        request, "xueshi_services/staff_questionnaire_edit.html", {"row": row, "v": values, "frozen": frozen}
    )


@requires(MANAGE_QUESTIONNAIRES)
@require_POST
def questionnaire_state(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish, close or reopen."""
    try:
        questionnaires.move(request.user, _row(pk), request.POST.get("state", ""))
    except BadInput as exc:
        return refuse(request, exc)
    return redirect("xueshi_services:staff-questionnaire", pk=pk)


@requires(VIEW_QUESTIONNAIRE_RESULTS)
@require_GET
@_with_row
def questionnaire_results(request: HttpRequest, row: Questionnaire) -> HttpResponse:
    """The short link, QR code and results of the viewer's scope: bars, scale averages, texts."""
    total, figures = results.results(request.user, row)
    chart = [
        {
            "id": f"chart-{f.question.pk}",
            "title": f.question.text,
            "labels": [b[0] for b in f.bars],
            "counts": [b[1] for b in f.bars],
        }
        for f in figures
        if f.bars
    ]
    context = {
        "row": row,
        "total": total,
        "figures": figures,
        "chart": chart,
        "link": short_link(request, row),
        "may_edit": may(request.user, MANAGE_QUESTIONNAIRES) and questionnaires.may_edit(request.user, row),
        "may_export": may(request.user, EXPORT),
        "text_kind": Question.TEXT,
        "echarts_url": _echarts_url(),
    }
    return render(request, "xueshi_services/staff_questionnaire.html", context)


@requires(VIEW_QUESTIONNAIRE_RESULTS)
@require_GET
@_with_row
def questionnaire_qr(request: HttpRequest, row: Questionnaire) -> HttpResponse:
    """The QR code of the short link, as SVG (print it on the training notice or the classroom wall)."""
    import segno

    buffer = io.BytesIO()
    segno.make(short_link(request, row), error="m").save(buffer, kind="svg", scale=6, border=2)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@requires(VIEW_QUESTIONNAIRE_RESULTS)
@require_GET
@_with_row
def questionnaire_export(request: HttpRequest, row: Questionnaire) -> HttpResponse:
    """The responses of the viewer's scope as xlsx (masked names), recorded in the export audit."""
    if not may(request.user, EXPORT):
        return refuse(request, BadInput("forbidden", "your roles do not allow exports", 403))
    out = results.export_xlsx(request.user, row, request)
    return FileResponse(
        out,
        as_attachment=True,
        filename=f"questionnaire-{row.slug}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
