"""The stats pages (zh_CN first, phone-readable tables) and their JSON twins under ``/api/xueshi/stats/``.

Every view goes through ``answer``: bad input is a 4xx with a code and reason, a request outside
the account's scope a 403 with the reason (recorded by ``scoping``), never a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xueshi_core.guards import refusal
from xueshi_core.jsonbody import BadInput

from . import conf, exports, rollup, service
from .query import PERIODS
from .scoping import Refused

Compute = Callable[[HttpRequest], dict[str, Any]]
UNICODE = {"ensure_ascii": False}  # Chinese names stay readable in the JSON


def answer(request: HttpRequest, compute: Compute, template: str | None) -> HttpResponse:
    """Run ``compute``; render ``template`` (a page) or JSON; map refusals and bad input to 4xx."""
    result = _run(request, compute, template)
    if isinstance(result, HttpResponse):
        return result
    data = result
    if template is None:
        return JsonResponse(data, json_dumps_params=UNICODE)
    context = {"periods": PERIODS, "categories": service.category_choices(), "get": request.GET, **data}
    return render(request, template, context)


def _run(request: HttpRequest, compute: Compute, template: str | None) -> dict[str, Any] | HttpResponse:
    """``compute``'s answer, or the 4xx response for an anonymous, refused or malformed request."""
    if not getattr(request.user, "is_authenticated", False):
        return refusal(request, api=template is None)
    if conf.roll_up_on_read():
        rollup.run()
    try:
        return compute(request)
    except Refused as exc:
        return _error(request, template, 403, "outside_scope", exc.reason)
    except BadInput as exc:
        return _error(request, template, exc.status, exc.code, exc.reason)


def _error(request: HttpRequest, template: str | None, status: int, code: str, reason: str) -> HttpResponse:
    if template is None:
        return JsonResponse({"error": code, "message": reason}, status=status, json_dumps_params=UNICODE)
    context = {"status": status, "code": code, "reason": reason, "title": _("Statistics")}
    return render(request, "xueshi_stats/refused.html", context, status=status)


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The supervisor's dashboard: figures of the region and one row per region one level down."""

    def page(r: HttpRequest) -> dict[str, Any]:
        data = service.figures_of(r)
        return {**data, "chart": service.chart_data(data)}

    return answer(request, page, "xueshi_stats/dashboard.html")


@require_GET
def learners(request: HttpRequest) -> HttpResponse:
    """The learners behind one figure (masked)."""
    return answer(request, service.learners_of, "xueshi_stats/learners.html")


@require_GET
def learner(request: HttpRequest, learner_id: str) -> HttpResponse:
    """One learner's progress per course and region history (masked)."""
    return answer(request, lambda r: service.learner_of(r, learner_id), "xueshi_stats/learner.html")


@require_GET
def figures_api(request: HttpRequest) -> HttpResponse:
    """JSON: the dashboard's figures."""
    return answer(request, lambda r: service.figures_of(r, "xueshi_stats:api-learners"), None)


@require_GET
def learners_api(request: HttpRequest) -> HttpResponse:
    """JSON: the learners behind one figure."""
    return answer(request, service.learners_of, None)


@require_GET
def learner_api(request: HttpRequest, learner_id: str) -> HttpResponse:
    """JSON: one learner's progress."""
    return answer(request, lambda r: service.learner_of(r, learner_id), None)


@require_http_methods(["GET", "POST"])
def query(request: HttpRequest) -> HttpResponse:
    """The back-office query page: by period, score band, region, course, category, name, ID number.

    The form posts (an ID number never enters a URL); the export form below the results carries
    the same parameters, the person's ID number included, in the page's body only.
    """
    if request.method == "GET" and not request.GET:
        return answer(request, service.empty_search, "xueshi_stats/query.html")

    def page(r: HttpRequest) -> dict[str, Any]:
        data = service.search_of(r)
        export = {**data["query"], **data.pop("person")}
        return {**data, "export": export, "get": r.POST or r.GET, "qs": urlencode(data["query"])}

    return answer(request, page, "xueshi_stats/query.html")


@require_http_methods(["GET", "POST"])
def query_api(request: HttpRequest) -> HttpResponse:
    """JSON: one page of a query's rows (POST keeps an ID number out of the URL)."""

    def compute(r: HttpRequest) -> dict[str, Any]:
        data = service.search_of(r)
        data.pop("person")
        return data

    return answer(request, compute, None)


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("Accept", "").startswith("application/json")


@require_POST
def export_start(request: HttpRequest) -> HttpResponse:
    """Ask for an export (a form on a learner list or a query); answers the job (JSON) or its page."""
    api = _wants_json(request)
    result = _run(request, lambda r: {"job": exports.ask(r)}, None if api else "xueshi_stats/refused.html")
    if isinstance(result, HttpResponse):
        return result
    job = result["job"]
    if api:
        return JsonResponse({"job": exports.as_dict(job)}, status=201, json_dumps_params=UNICODE)
    return redirect("xueshi_stats:export", token=job.token)


def _job(request: HttpRequest, token: str, template: str | None) -> dict[str, Any] | HttpResponse:
    def compute(r: HttpRequest) -> dict[str, Any]:
        job = exports.job_of(r, token)
        if job is None:
            raise BadInput("unknown_export", "no export of yours has this number", status=404)
        return {"job": exports.as_dict(job), "row": job}

    return _run(request, compute, template)


@require_GET
def export_page(request: HttpRequest, token: str) -> HttpResponse:
    """The job's page: a progress bar that reloads itself until the file is ready, then the link."""
    result = _job(request, token, "xueshi_stats/export.html")
    if isinstance(result, HttpResponse):
        return result
    return render(request, "xueshi_stats/export.html", {"job": result["job"], "title": _("Export")})


@require_GET
def export_api(request: HttpRequest, token: str) -> HttpResponse:
    """JSON: the job's progress (the page's polling twin)."""
    result = _job(request, token, None)
    if isinstance(result, HttpResponse):
        return result
    return JsonResponse({"job": result["job"]}, json_dumps_params=UNICODE)


@require_GET
def export_file(request: HttpRequest, token: str) -> HttpResponse:
    """The kept file, after the scope is checked again (refused and recorded if it narrowed)."""

    def compute(r: HttpRequest) -> dict[str, Any]:
        job = exports.job_of(r, token)
        if job is None or job.state != exports.ExportJob.DONE:
            raise BadInput("unknown_export", "no finished export of yours has this number", status=404)
        name = f"xueshi-stats-{job.token[:8]}.{job.file_format}"
        return {"file": exports.open_download(r, job), "name": name}

    result = _run(request, compute, "xueshi_stats/refused.html")
    if isinstance(result, HttpResponse):
        return result
    return FileResponse(result["file"], as_attachment=True, filename=result["name"])
