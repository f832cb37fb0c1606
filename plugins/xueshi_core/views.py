"""The Xueshi status page: which Xueshi apps and XBlocks this process loaded, and what degraded.

For ``VIEW_STATUS`` holders: Django staff (the system administrator), operators and auditors.
"""

from __future__ import annotations

from dataclasses import asdict

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from . import __version__, faults, spool
from .api import current_project_type, installed_components
from .guards import requires
from .permissions import VIEW_STATUS


def degraded() -> dict[str, object]:
    """What degraded lately and what waits on disk: nothing may be lost silently (ADR 0062)."""
    return {"faults": faults.totals(), "unsaved_faults": faults.unsaved(), "spooled": spool.kinds()}


@requires(VIEW_STATUS)
def status_page(request: HttpRequest) -> HttpResponse:
    """Render the status table for staff (operators check a deployment here)."""
    components = installed_components()
    return render(
        request,
        "xueshi_core/status.html",
        {
            "components": components,
            "all_loaded": all(c.loaded for c in components),
            "version": __version__,
            "project_type": current_project_type(),
            **degraded(),
        },
    )


@requires(VIEW_STATUS, api=True)
def status_json(request: HttpRequest) -> JsonResponse:
    """Return the same facts as JSON, for monitoring."""
    components = installed_components()
    return JsonResponse(
        {
            "version": __version__,
            "project_type": current_project_type(),
            "all_loaded": all(c.loaded for c in components),
            "components": [asdict(c) for c in components],
            **degraded(),
        }
    )
