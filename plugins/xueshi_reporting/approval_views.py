"""Pages of register checks and class approval: the learner's "why is my study held", the operator's classes.

The hold page is what the video player shows in its hold overlay (the ledger hold names it): it
says, in the learner's language, which authority has not yet confirmed what, and offers the
real-name profile page where a mismatch can be corrected.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xueshi_core.guards import requires
from xueshi_core.permissions import MANAGE_REPORTING, VIEW_REPORTING, may
from xueshi_identity import api as identity

from . import classes
from .manage_views import _error
from .models import ClassDeclaration, Destination


@xframe_options_sameorigin  # the player shows it in its hold overlay
@login_required
@require_GET
def hold(request: HttpRequest) -> HttpResponse:
    """Why the learner's study is held: register answers about them, their classes awaiting approval."""
    uid = int(request.user.pk)
    checks = sorted(identity.register_checks(uid).values(), key=lambda c: c.register)
    waiting = [
        c
        for c in ClassDeclaration.objects.exclude(state=ClassDeclaration.APPROVED).order_by("-id")[:200]
        if uid in (c.learner_ids or [])
    ]
    return render(request, "xueshi_reporting/hold.html", {"checks": checks, "classes": waiting})


def _learner_ids(raw: str) -> list[int]:
    """User ids separated by commas, spaces or lines (``ValueError`` on anything else)."""
    parts = raw.replace(",", " ").replace("，", " ").split()
    if not all(p.isdigit() and len(p) < 12 for p in parts):
        raise ValueError("not user ids")
    return [int(p) for p in parts]


@requires(VIEW_REPORTING)
@require_http_methods(["GET", "POST"])
def class_list(request: HttpRequest) -> HttpResponse:
    """Declared classes and their state; a form to declare one (``MANAGE_REPORTING``)."""
    if request.method == "POST":
        if not may(request.user, MANAGE_REPORTING):
            return _error(request, _("You may not declare classes."), 403)
        try:
            ids = _learner_ids(request.POST.get("learners", ""))
            starts_on = date.fromisoformat(request.POST.get("starts_on", ""))
        except ValueError:
            return _error(request, _("Give learners as user ids and the start as YYYY-MM-DD."), 400)
        try:
            classes.declare(
                request.POST.get("destination", ""),
                request.POST.get("course_key", "").strip(),
                request.POST.get("name", ""),
                starts_on,
                ids,
                int(request.user.pk),
            )
        except classes.ClassError as exc:
            return _error(request, str(exc), 400)
        return redirect("xueshi_reporting:classes")
    context = {
        "classes": ClassDeclaration.objects.select_related("destination").order_by("-id")[:200],
        "destinations": Destination.objects.filter(active=True, approval=True).order_by("code"),
        "may_manage": may(request.user, MANAGE_REPORTING),
    }
    return render(request, "xueshi_reporting/classes.html", context)


@requires(MANAGE_REPORTING)
@require_POST
def class_ask(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask the authority about one class now (declare again, or ask for its decision)."""
    row = ClassDeclaration.objects.select_related("destination").filter(pk=pk).first()
    if row is None:
        return _error(request, _("There is no such class."), 404)
    if row.state == ClassDeclaration.DECLARING:
        classes.send(row)
    elif row.state == ClassDeclaration.PENDING:
        classes.poll(row)
    return redirect("xueshi_reporting:classes")
