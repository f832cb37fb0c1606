"""Operators' reconciliation pages: runs by day and channel, a run's mismatches, resolving, xlsx.

Reading needs ``VIEW_ORDERS`` (finance staff and auditors read; the export is for the finance
office); resolving a mismatch needs ``MANAGE_ORDERS`` and a note. Bad filters and unknown ids
answer 4xx with the reason.
"""

from __future__ import annotations

from datetime import date

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xueshi_core.guards import requires
from xueshi_core.permissions import MANAGE_ORDERS, VIEW_ORDERS, may

from . import reconciliation
from .presenting import channel_label
from .products import yuan
from .reconciliation_export import mismatches_xlsx
from .reconciliation_models import ReconMismatch, ReconRun

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _refuse(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "xueshi_payments/error.html", {"message": message}, status=status)


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def _runs(request: HttpRequest) -> tuple[object, dict[str, str]] | str:
    """Runs filtered by ``from``/``to`` (YYYY-MM-DD) and ``channel``; an error message if bad."""
    rows = ReconRun.objects.all()
    filters = {k: request.GET.get(k, "").strip()[:32] for k in ("from", "to", "channel")}
    for name, lookup in (("from", "day__gte"), ("to", "day__lte")):
        if filters[name]:
            day = _day(filters[name])
            if day is None:
                return _("Give days as YYYY-MM-DD.")
            rows = rows.filter(**{lookup: day})
    if filters["channel"]:
        rows = rows.filter(channel=filters["channel"])
    return rows, filters


@requires(VIEW_ORDERS)
@require_GET
def runs(request: HttpRequest) -> HttpResponse:
    """Runs, newest day first, with their counts; open mismatches highlighted."""
    found = _runs(request)
    if isinstance(found, str):
        return _refuse(request, found, 400)
    rows, filters = found
    page = Paginator(rows, 60).get_page(request.GET.get("page"))  # type: ignore[arg-type]
    for run in page:
        run.label = channel_label(run.channel)
        run.net = yuan(run.bill_total_fen)
        run.open = run.mismatches.filter(resolved_at=None).count()
    context = {"page": page, "filters": filters, "channels": reconciliation.reconcilable_channels()}
    return render(request, "xueshi_payments/recon_runs.html", context)


@requires(VIEW_ORDERS)
@require_GET
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    """One run: its counts and every mismatch, linked to the order."""
    run = ReconRun.objects.filter(pk=run_id).first()
    if run is None:
        return _refuse(request, _("There is no such reconciliation run."), 404)
    mismatches = list(run.mismatches.select_related("resolved_by"))
    for m in mismatches:
        m.bill_yuan = "" if m.bill_fen is None else yuan(m.bill_fen)
        m.our_yuan = "" if m.our_fen is None else yuan(m.our_fen)
    context = {
        "run": run,
        "label": channel_label(run.channel),
        "net": yuan(run.bill_total_fen),
        "mismatches": mismatches,
        "may_manage": may(request.user, MANAGE_ORDERS),
    }
    return render(request, "xueshi_payments/recon_run.html", context)


@requires(MANAGE_ORDERS)
@require_POST
def resolve(request: HttpRequest, mismatch_id: int) -> HttpResponse:
    """Mark one mismatch resolved with a note (what finance did about it)."""
    note = request.POST.get("note", "").strip()
    if not note:
        return _refuse(request, _("Write what was done about the mismatch."), 400)
    if len(note) > 255:
        return _refuse(request, _("The note is longer than 255 characters."), 400)
    mismatch = reconciliation.resolve(mismatch_id, note, request.user)
    if mismatch is None:
        known = ReconMismatch.objects.filter(pk=mismatch_id).exists()
        if known:
            return _refuse(request, _("This mismatch is already resolved."), 409)
        return _refuse(request, _("There is no such mismatch."), 404)
    return redirect("xueshi_payments:recon-run", run_id=mismatch.run_id)


@requires(VIEW_ORDERS)
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """Mismatches of the filtered runs (or of one ``run``) as xlsx for the finance office."""
    found = _runs(request)
    if isinstance(found, str):
        return _refuse(request, found, 400)
    runs_found, _filters = found
    rows = ReconMismatch.objects.filter(run__in=runs_found).select_related("run", "resolved_by")  # type: ignore[misc]
    run_id = request.GET.get("run", "")
    if run_id:
        if not run_id.isdigit() or len(run_id) > 18:
            return _refuse(request, _("Unknown reconciliation run."), 400)
        rows = rows.filter(run_id=int(run_id))
    rows = rows.order_by("-run__day", "run__channel", "kind", "order_no")
    response = HttpResponse(mismatches_xlsx(rows[:20000]), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="reconciliation.xlsx"'
    return response
