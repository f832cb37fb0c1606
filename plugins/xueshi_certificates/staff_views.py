"""Operator pages: the certificate list, revoking with a reason, and batch issuing with progress."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xueshi_core import permissions
from xueshi_core.guards import requires
from xueshi_core.masking import mask_name

from . import batches, revocation, serials, snapshot
from .models import Certificate, IssueBatch

PAGE_SIZE = 50


@requires(permissions.MANAGE_CERTIFICATES)
@require_GET
def staff_list(request: HttpRequest) -> HttpResponse:
    """Certificates of the operator's scope, newest first; filter by year, status or serial."""
    queryset = permissions.scope_of(request.user).filter_by_user(Certificate.objects.all())
    year, status, serial = (
        request.GET.get("year", ""),
        request.GET.get("status", ""),
        request.GET.get("serial", ""),
    )
    if year.isdigit():
        queryset = queryset.filter(period_year=int(year))
    if status in ("issued", "revoked"):
        queryset = queryset.filter(status=status)
    if serial:
        queryset = queryset.filter(serial__startswith=serials.normalise(serial)[:24])
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "cert": c,
            "holder": mask_name(c.snapshot["holder"]["name"]),
            "title": snapshot.title(c.snapshot),
            "total": c.snapshot["total"],
            "unit": snapshot.unit_label(c.snapshot),
        }
        for c in page.object_list
    ]
    return render(
        request,
        "xueshi_certificates/staff_list.html",
        {"rows": rows, "page": page, "batches": IssueBatch.objects.all()[:5], "filters": request.GET},
    )


@requires(permissions.MANAGE_CERTIFICATES)
@require_POST
def staff_revoke(request: HttpRequest, serial: str) -> HttpResponse:
    """Revoke one certificate; the reason is required and shown publicly."""
    from django.contrib import messages

    cert = get_object_or_404(Certificate, serial=serial)
    if not permissions.scope_of(request.user).covers_user(cert.user_id):
        return HttpResponse(status=404)
    try:
        revocation.revoke(serial, reason=request.POST.get("reason", ""), actor=request.user)
    except revocation.RevokeRefused as exc:
        messages.error(request, str(revocation.REFUSALS.get(exc.code, exc.reason)))
        return redirect("xueshi_certificates:staff-list")
    messages.success(request, _("Certificate %(serial)s revoked.") % {"serial": serial})
    return redirect("xueshi_certificates:staff-list")


@requires(permissions.MANAGE_CERTIFICATES)
@require_POST
def staff_batch_start(request: HttpRequest) -> HttpResponse:
    """Queue batch issuing for a year (and optionally a region prefix)."""
    year = request.POST.get("year", "").strip()
    region = request.POST.get("region_prefix", "").strip()
    if not (year.isdigit() and 2000 <= int(year) <= 2099) or not (
        region == "" or (region.isdigit() and len(region) <= 6)
    ):
        return JsonResponse(
            {"error": "bad_input", "detail": "year 2000-2099; region prefix up to 6 digits"}, status=400
        )
    batch = batches.start(int(year), region_prefix=region, actor=request.user)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse(_batch_json(batch), status=202)
    return redirect("xueshi_certificates:staff-list")


def _batch_json(batch: IssueBatch) -> dict[str, object]:
    return {
        "id": batch.pk,
        "year": batch.period_year,
        "state": batch.state,
        "total": batch.total,
        "issued": batch.issued,
        "existing": batch.existing,
        "failed": batch.failed,
        "processed": batch.processed,
        "last_error": batch.last_error,
    }


@requires(permissions.MANAGE_CERTIFICATES, api=True)
@require_GET
def staff_batch_status(request: HttpRequest, batch_id: int) -> JsonResponse:
    """Progress of one batch, polled by the list page."""
    return JsonResponse(_batch_json(get_object_or_404(IssueBatch, pk=batch_id)))
