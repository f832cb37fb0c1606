"""The stats pages (zh_CN first, phone-readable tables) and their JSON twins under ``/api/xueshi/stats/``.

Every view goes through ``answer``: bad input is a 4xx with a code and reason, a request outside
the account's scope a 403 with the reason (recorded by ``scoping``), never a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xueshi_core.guards import refusal
from xueshi_core.jsonbody import BadInput

from . import conf, rollup, service
from .query import PERIODS
from .scoping import Refused

Compute = Callable[[HttpRequest], dict[str, Any]]
UNICODE = {"ensure_ascii": False}  # Chinese names stay readable in the JSON


def answer(request: HttpRequest, compute: Compute, template: str | None) -> HttpResponse:
    """Run ``compute``; render ``template`` (a page) or JSON; map refusals and bad input to 4xx."""
    if not getattr(request.user, "is_authenticated", False):
        return refusal(request, api=template is None)
    if conf.roll_up_on_read():
        rollup.run()
    try:
        data = compute(request)
    except Refused as exc:
        return _error(request, template, 403, "outside_scope", exc.reason)
    except BadInput as exc:
        return _error(request, template, exc.status, exc.code, exc.reason)
    if template is None:
        return JsonResponse(data, json_dumps_params=UNICODE)
    context = {**data, "periods": PERIODS, "categories": service.category_choices(), "get": request.GET}
    return render(request, template, context)


def _error(request: HttpRequest, template: str | None, status: int, code: str, reason: str) -> HttpResponse:
    if template is None:
        return JsonResponse({"error": code, "message": reason}, status=status, json_dumps_params=UNICODE)
    context = {"status": status, "code": code, "reason": reason, "title": _("Statistics")}
    return render(request, "xueshi_stats/refused.html", context, status=status)


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The supervisor's dashboard: figures of the region and one row per region one level down."""
    return answer(request, service.figures_of, "xueshi_stats/dashboard.html")


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
