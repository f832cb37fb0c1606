"""Training project pages (ADR 0157): the list, one project's plan, figures and learners, the form.

Reading goes through ``views.answer`` like every stats page (the scope, 4xx never 500): a
supervisor sees the projects whose targets meet their scope, and each project's figures only for
that part. Recording, editing and approving need ``MANAGE_TRAINING_PROJECTS`` (operators).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xueshi_core import permissions
from xueshi_core.guards import requires

from . import lists, projects, scoping
from .views import answer

FORM = "xueshi_stats/project_form.html"


def _listing(request: HttpRequest) -> dict[str, Any]:
    scope = scoping.confine(request)
    rows = [{**projects.describe(p), "pk": p.pk} for p in projects.visible(scope)]
    may_manage = permissions.may(request.user, permissions.MANAGE_TRAINING_PROJECTS)
    return {"projects": rows, "may_manage": may_manage, "title": _("Training projects")}


def _detail(request: HttpRequest, code: str) -> dict[str, Any]:
    project = projects.by_code(code)
    scope = scoping.confine(request)
    if projects.lens(scope, project).is_empty:
        raise scoping.refuse_project(request, project.code)
    page, size = lists.paging(request.GET)
    rows = projects.cohort(scope, project).order_by("pk")
    total = rows.count()
    items = list(rows[(page - 1) * size : page * size])
    return {
        "project": projects.describe(project),
        "figures": projects.compute(scope, project),
        "as_of": projects.as_of(project).isoformat(),
        "total": total,
        "page": page,
        "page_size": size,
        "has_next": page * size < total,
        "learners": lists.describe(items, projects.as_query(project)),
        "export": {"project": project.code},
        "may_manage": permissions.may(request.user, permissions.MANAGE_TRAINING_PROJECTS),
        "title": project.name,
    }


@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    """The projects the account may follow."""
    return answer(request, _listing, "xueshi_stats/projects.html")


@require_GET
def project_list_api(request: HttpRequest) -> HttpResponse:
    """JSON: the projects the account may follow."""
    return answer(request, _listing, None)


@require_GET
def project_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One project: plan, phase, figures within the scope, its learners (masked), export."""
    return answer(request, lambda r: _detail(r, code), "xueshi_stats/project.html")


@require_GET
def project_api(request: HttpRequest, code: str) -> HttpResponse:
    """JSON: one project's plan, figures and a page of its learners."""
    return answer(request, lambda r: _detail(r, code), None)


@require_http_methods(["GET", "POST"])
@requires(permissions.MANAGE_TRAINING_PROJECTS)
def project_edit(request: HttpRequest, code: str = "") -> HttpResponse:
    """Record a new project (no ``code``) or change one; errors answer 400 beside the fields."""
    instance = projects.TrainingProject.objects.filter(code=code[:40]).first() if code else None
    if code and instance is None:
        return HttpResponse(_("No training project has this code."), status=404, content_type="text/plain")
    form = projects.ProjectForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        project = form.save(commit=False)
        project.created_by = project.created_by or request.user.get_username()
        projects.save_plan(project)
        return redirect("xueshi_stats:project", code=project.code)
    status = 400 if request.method == "POST" else 200
    title = _("Edit training project") if instance else _("New training project")
    return render(request, FORM, {"form": form, "title": title, "project": instance}, status=status)


@require_POST
@requires(permissions.MANAGE_TRAINING_PROJECTS)
def project_approve(request: HttpRequest, code: str) -> HttpResponse:
    """Approve a draft project (once; approving again changes nothing)."""
    projects.approve(code, request.user.get_username())
    return redirect("xueshi_stats:project", code=code[:40])
