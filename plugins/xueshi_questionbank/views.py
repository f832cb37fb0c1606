"""The staff page of the question bank in the LMS (``/xueshi/questionbank/…``), in Chinese and English.

Server-rendered Django pages (no front-end build): search and filter by tag, view and edit
questions (an edit adds a version), import with a row-by-row report, export, the template and
statistics. Whoever ``xueshi_core.permissions`` lets edit the bank (operators, global staff, the
course team) may use them; everybody else gets a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from xueshi_core.api import EDIT_QUESTION_BANK, may

from . import api, conf, editing, exporting, stats, store, tabular
from .access import parse_course
from .exceptions import ImportRefused
from .importing import TYPE_LABELS, import_file
from .models import Bank
from .models import Question as QuestionRow

PAGE_SIZE = 50
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def course_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Parse ``course_id``, require a signed-in manager of that course, pass the key on."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, course_id: str, *args: Any, **kwargs: Any) -> HttpResponse:
        course_key = parse_course(course_id)
        if course_key is None:
            raise Http404(_("Not a course key."))
        if not may(request.user, EDIT_QUESTION_BANK, course_key=course_key):
            return HttpResponseForbidden(_("Only the course team may manage this question bank."))
        return view(request, course_key, *args, **kwargs)

    return wrapper


def download(data: bytes, filename: str, fmt: str) -> HttpResponse:
    """A file download (xlsx or CSV)."""
    response = HttpResponse(
        data, content_type=XLSX_TYPE if fmt == tabular.XLSX else "text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _context(course_key: Any, **extra: Any) -> dict[str, Any]:
    return {
        "course_key": str(course_key),
        "bank": store.bank_for(course_key),
        "type_labels": TYPE_LABELS,
        **extra,
    }


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Banks the user may manage, and a box to open any course's bank."""
    raw = request.GET.get("course_id", "").strip()
    if raw:
        if parse_course(raw) is None:
            return render(
                request, "xueshi_questionbank/index.html", {"error": _("Not a course key.")}, status=400
            )
        return redirect("xueshi_questionbank:bank", course_id=raw)
    banks = [
        b
        for b in Bank.objects.order_by("course_key")
        if may(request.user, EDIT_QUESTION_BANK, course_key=b.course_key)
    ]
    return render(request, "xueshi_questionbank/index.html", {"banks": banks})


@course_page
def bank(request: HttpRequest, course_key: Any) -> HttpResponse:
    """Search and filter the bank's questions; share the bank with the organisation."""
    if request.method == "POST":
        bank_row = store.bank_for(course_key)
        bank_row.shared = request.POST.get("shared") == "1"
        bank_row.save(update_fields=["shared", "modified"])
        return redirect("xueshi_questionbank:bank", course_id=str(course_key))
    page = Paginator(editing.search(course_key, request.GET), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "xueshi_questionbank/bank.html",
        _context(
            course_key,
            page=page,
            tags=api.tag_values(course_key),
            params=request.GET,
            query=query.urlencode(),
        ),
    )


@course_page
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, course_key: Any, uid: str = "") -> HttpResponse:
    """Show a question with its versions and figures; POST saves an edit as a new version."""
    row = None
    if uid:
        row = get_object_or_404(
            QuestionRow, uid=_uuid(uid), bank__course_key=course_key, source=QuestionRow.BANK
        )
    errors: list[Any] = []
    values = editing.values_of(row) if row else {"type": "单选题", "difficulty": "中"}
    if request.method == "POST":
        values = request.POST.dict()
        if row is not None and "retire" in request.POST:
            row.active = request.POST["retire"] != "1"
            row.save(update_fields=["active", "modified"])
            return redirect("xueshi_questionbank:question", course_id=str(course_key), uid=str(row.uid))
        version, errors = editing.save(course_key, values, request.user, row)
        if version is not None:
            return redirect(
                "xueshi_questionbank:question", course_id=str(course_key), uid=str(version.question.uid)
            )
    versions = row.versions.order_by("-number") if row else []
    return render(
        request,
        "xueshi_questionbank/question.html",
        _context(
            course_key,
            row=row,
            values=values,
            errors=errors,
            versions=versions,
            figures=stats.for_question(row) if row else None,
            option_keys="ABCDEF",
        ),
        status=400 if errors else 200,
    )


def _uuid(raw: str) -> str:
    import uuid

    try:
        return str(uuid.UUID(raw))
    except ValueError as exc:
        raise Http404(_("No such question.")) from exc


@course_page
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest, course_key: Any) -> HttpResponse:
    """Upload a file; show what was imported, or every refused row and why (nothing imported)."""
    context = _context(course_key)
    if request.method == "GET":
        return render(request, "xueshi_questionbank/import.html", context)
    upload = request.FILES.get("file")
    if upload is None:
        context["refusal"] = _("Choose a file to import.")
        return render(request, "xueshi_questionbank/import.html", context, status=400)
    try:
        if upload.size > conf.max_import_bytes():
            raise ImportRefused("file_too_large", _("The file is too large."), 413)
        report = import_file(course_key, upload.name, upload.read(), request.user)
    except ImportRefused as exc:
        context["refusal"] = exc.message
        return render(request, "xueshi_questionbank/import.html", context, status=exc.status)
    context["report"] = report
    return render(request, "xueshi_questionbank/import.html", context, status=200 if report.accepted else 400)


@course_page
def export(request: HttpRequest, course_key: Any) -> HttpResponse:
    """The bank in the template's layout (``?format=xlsx|csv``)."""
    fmt = tabular.CSV if request.GET.get("format") == tabular.CSV else tabular.XLSX
    name = f"questionbank-{course_key.org}-{course_key.course}-{course_key.run}"
    return download(exporting.export_bank(course_key, fmt), name, fmt)


@login_required
def template(request: HttpRequest) -> HttpResponse:
    """The empty import template with one example per question type."""
    fmt = tabular.CSV if request.GET.get("format") == tabular.CSV else tabular.XLSX
    return download(exporting.template(fmt), "questionbank-template", fmt)


@course_page
def statistics(request: HttpRequest, course_key: Any) -> HttpResponse:
    """Figures per question, per learner and per tag (``?context=practice|exam|checkpoint``)."""
    context_name = request.GET.get("context") or None
    tag = request.GET.get("tag") if request.GET.get("tag") in stats.TAG_FIELDS else "trade"
    return render(
        request,
        "xueshi_questionbank/stats.html",
        _context(
            course_key,
            by_question=stats.by_question(course_key, context_name, limit=100),
            by_learner=stats.by_learner(course_key, context_name, limit=100),
            by_tag=stats.by_tag(course_key, tag, context_name),
            tag=tag,
            context_name=context_name or "",
            bank_url=reverse("xueshi_questionbank:bank", kwargs={"course_id": str(course_key)}),
        ),
    )
