"""Operator pages to list, create and edit supervisor accounts (ADR 0156).

Only accounts with ``MANAGE_SCOPES`` (operators) reach them (``guards.requires``: 403 otherwise).
A form with errors answers 400 with the reasons beside the fields, never a 500.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from xueshi_core import params, permissions
from xueshi_core.guards import requires
from xueshi_core.jsonbody import BadInput

from . import supervisors

FORM = "xueshi_stats/supervisor_form.html"
TEXT = "text/plain; charset=utf-8"


@require_GET
@requires(permissions.MANAGE_SCOPES)
def supervisor_list(request: HttpRequest) -> HttpResponse:
    """Every supervisor account, masked, with its role and binding."""
    context = {"title": _("Supervisor accounts"), "rows": supervisors.listing()}
    return render(request, "xueshi_stats/supervisors.html", context)


@require_http_methods(["GET", "POST"])
@requires(permissions.MANAGE_SCOPES)
def supervisor_new(request: HttpRequest) -> HttpResponse:
    """Create a supervisor account (its holder sets a password with "forgot password")."""
    form = supervisors.SupervisorForm(request.POST or None, operator=request.user, creating=True)
    if request.method == "POST" and form.is_valid():
        supervisors.save(form)
        return redirect("xueshi_stats:supervisors")
    status = 400 if request.method == "POST" else 200
    return render(request, FORM, {"form": form, "title": _("New supervisor account")}, status=status)


@require_http_methods(["GET", "POST"])
@requires(permissions.MANAGE_SCOPES)
def supervisor_edit(request: HttpRequest, user_id: str) -> HttpResponse:
    """Change a supervisor account's role, regions, employers or contact details."""
    try:
        pk = params.bounded_int(user_id, "user_id", low=1, high=2**63 - 1)
    except BadInput as exc:
        return HttpResponse(exc.reason, status=exc.status, content_type=TEXT)
    user = get_user_model().objects.filter(pk=pk).first()
    if user is None or not supervisors.role_of(user):
        return HttpResponse(_("No supervisor account has this id."), status=404, content_type=TEXT)
    initial = supervisors.initial_of(user)
    data = request.POST or None
    form = supervisors.SupervisorForm(data, operator=request.user, creating=False, initial=initial)
    if request.method == "POST" and form.is_valid():
        supervisors.save(form, user)
        return redirect("xueshi_stats:supervisors")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "title": _("Edit supervisor account"), "account": user}
    return render(request, FORM, context, status=status)
