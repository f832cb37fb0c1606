"""What the stats pages and APIs answer, shared by both (parse → confine → compute), as plain dicts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from xueshi_core import params
from xueshi_identity import api as identity_api

from . import figures, lists, scoping
from .query import FIGURES, FigureQuery, parse


def _links(q: FigureQuery, page: str) -> dict[str, str]:
    base = reverse(page)
    return {name: f"{base}?{urlencode({**q.as_params(), 'figure': name})}" for name in FIGURES}


def figures_of(request: Any, page: str = "xueshi_stats:learners") -> dict[str, Any]:
    """Figures of the asked region (or the scope), their learner-list links and the drill-down rows."""
    q = parse(request.GET)
    scope = scoping.confine(request, q.region, q.employer)
    column = figures.child_level(q, scope)
    shown = q.region or (scope.regions[0] if len(scope.regions) == 1 else "")
    children: list[dict[str, Any]] = []
    whole, parts = figures.with_children(scope, q, column)
    if column:
        rows = figures.breakdown(parts)
        names = identity_api.division_names(k for k in rows if k) if column != "employer" else {}
        for key, values in rows.items():
            drill: FigureQuery | None = None  # learners without a region: counted above, nowhere to drill
            if column == "employer":
                drill = q.with_region(q.region, key)
            elif key:
                drill = q.with_region(key)
            children.append(
                {
                    "key": key,
                    "name": names.get(key, key),
                    **values,
                    "query": drill.as_params() if drill else None,
                    "qs": urlencode(drill.as_params()) if drill else "",
                }
            )
    return {
        "query": {**q.as_params(), "period": q.period},
        "level": column or "learner",
        "figures": whole.as_dict(),
        "days": figures.per_day(scope, q),
        "links": _links(q, page),
        "children": children,
        "region_name": identity_api.division_names([shown]).get(shown, "") if shown else "",
    }


def learners_of(request: Any) -> dict[str, Any]:
    """One page of the learners behind a figure."""
    q = parse(request.GET)
    figure = lists.figure_name(request.GET)
    page, size = lists.paging(request.GET)
    scope = scoping.confine(request, q.region, q.employer)
    export = {**q.as_params(), "figure": figure}
    return {"query": q.as_params(), "export": export, **lists.learner_rows(scope, q, figure, page, size)}


def learner_of(request: Any, raw_id: str) -> dict[str, Any]:
    """One learner's courses and region history, if the scope covers the learner."""
    learner_id = params.bounded_int(raw_id, "learner_id", low=1, high=2**63 - 1)
    q = parse(request.GET)
    scoping.confine(request, q.region, q.employer)
    scoping.confine_learner(request, learner_id)
    return {"query": q.as_params(), **lists.learner_detail(learner_id, q)}


def category_choices() -> Mapping[str, str]:
    """Personnel categories for the filter form."""
    return identity_api.category_names()


def search_of(request: Any) -> dict[str, Any]:
    """One page of a back-office query's rows (masked), within the scope (ADR 0153).

    Asked by GET, or by POST so that an ID number stays out of URLs, server logs and history.
    """
    from . import search

    data = request.POST if request.method == "POST" else request.GET
    found = search.parse_search(data)
    page, size = lists.paging(data)
    rows = search.confined_rows(request, found)
    total = rows.count()
    items = list(rows[(page - 1) * size : page * size])
    return {
        "query": found.as_params(),
        "asked": True,
        "person": {"id_type": found.id_type, "id_number": found.id_number},
        "id_types": identity_api.id_types(),
        "total": total,
        "page": page,
        "page_size": size,
        "has_next": page * size < total,
        "learners": lists.describe(items, found.figure),
    }


def empty_search(request: Any) -> dict[str, Any]:
    """The query page before anything is asked: the form only (the scope is still checked)."""
    scoping.confine(request)
    return {"asked": False, "learners": [], "id_types": identity_api.id_types(), "query": {}}


def chart_data(data: dict[str, Any]) -> dict[str, Any]:
    """What the dashboard's charts draw: the same rows as its tables, with translated labels."""
    labels = {"enrolled": _("Enrolled"), "completed": _("Completed"), "minutes": _("Credited minutes")}
    children = [
        {"name": c["name"] or c["key"] or _("(none)"), "enrolled": c["enrolled"], "completed": c["completed"]}
        for c in data["children"]
    ]
    return {"labels": {k: str(v) for k, v in labels.items()}, "children": children, "days": data["days"]}
