"""Operator pages: destinations and queue depth, failures (re-drive, correct, drop), per-learner history."""

from __future__ import annotations

from pathlib import Path

from django.db.models import Count, Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xueshi_core.guards import requires
from xueshi_core.permissions import MANAGE_REPORTING, VIEW_REPORTING, may
from xueshi_identity import api as identity

from . import corrections, delivery
from .adapters.xlsx import batch_path
from .models import Delivery, Destination, Exchange


def _error(request: HttpRequest, reason: str, status: int) -> HttpResponse:
    return render(request, "xueshi_reporting/error.html", {"reason": reason}, status=status)


@requires(VIEW_REPORTING)
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    """Destinations with queue depth by state, the dead-letter rows, the latest exchanges."""
    counts = {s: Count("deliveries", filter=Q(deliveries__state=s)) for s, _label in Delivery.STATES}
    destinations = Destination.objects.order_by("code").annotate(**counts)
    dead = (
        Delivery.objects.filter(state=Delivery.DEAD)
        .select_related("record", "destination")
        .order_by("record_id")[:200]
    )
    exchanges = Exchange.objects.select_related("destination").order_by("-id")[:30]
    context = {
        "destinations": destinations,
        "dead": dead,
        "exchanges": exchanges,
        "may_manage": may(request.user, MANAGE_REPORTING),
    }
    return render(request, "xueshi_reporting/manage.html", context)


@requires(MANAGE_REPORTING)
@require_POST
def act(request: HttpRequest) -> HttpResponse:
    """``redrive``, ``correct`` (build again from the source) or ``drop`` the chosen dead-letter rows."""
    action = request.POST.get("action", "")
    try:
        ids = [int(v) for v in request.POST.getlist("delivery")][:1000]
    except ValueError:
        return _error(request, _("The chosen rows are not valid."), 400)
    if not ids:
        return _error(request, _("Choose at least one row."), 400)
    if action == "redrive":
        delivery.redrive(ids)
    elif action == "drop":
        delivery.drop(ids)
    elif action == "correct":
        for pk in ids:
            corrections.correct(pk)
    else:
        return _error(request, _("Unknown action."), 400)
    return redirect("xueshi_reporting:manage")


@requires(VIEW_REPORTING)
@require_GET
def learner(request: HttpRequest) -> HttpResponse:
    """What was sent where and when for one learner (by user id), newest first."""
    raw = request.GET.get("user", "").strip()
    if raw and not raw.isdigit():
        return _error(request, _("Give a learner's user id (digits)."), 400)
    rows, checks = [], []
    if raw:
        checks = sorted(identity.register_checks(int(raw)).values(), key=lambda c: c.register)
        rows = list(
            Delivery.objects.filter(learner_id=int(raw))
            .select_related("record", "destination")
            .order_by("-record_id")[:500]
        )
    return render(request, "xueshi_reporting/learner.html", {"rows": rows, "user": raw, "checks": checks})


@requires(VIEW_REPORTING)
@require_GET
def batch_file(request: HttpRequest, code: str, batch: str) -> HttpResponse:
    """A spreadsheet batch of an xlsx destination, for upload at the bureau's site."""
    path: Path = batch_path(code, batch)
    if not path.is_file():
        return _error(request, _("There is no such batch file."), 404)
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"{code}-{batch}.xlsx")
