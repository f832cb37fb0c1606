"""Staff pages: find learners (masked), reveal a full value with a reason (audited), import, export.

Anyone with a Xueshi role or Django staff status may open these pages and sees masked values;
only the roles in ``XUESHI_PERSONAL_DATA_FULL_VIEW_GROUPS`` (operators and auditors by default)
may reveal, and every reveal writes a ``PersonalDataView`` row first.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xueshi_core import audit
from xueshi_core.roles import can_view_personal_data

from . import api, exporting, idnumbers, importing
from .models import IdentityProfile

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REVEALABLE = {"id_number": api.reveal_id_number, "phone": api.reveal_phone}


def staff_area(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in staff or Xueshi role holders only; others get 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not api.is_exempt(request.user):
            return HttpResponseForbidden(_("This page is for platform staff."))
        return view(request, *args, **kwargs)

    return wrapper


def _search(q: str) -> Any:
    profiles = IdentityProfile.objects.select_related("user", "category").order_by("-updated_at")
    if not q:
        return profiles
    number = idnumbers.normalise(q)
    hashes = [IdentityProfile.hash_id_number(t, number) for t in idnumbers.ID_TYPES]
    return profiles.filter(
        Q(id_number_hash__in=hashes)
        | Q(phone_hash=IdentityProfile.hash_phone(number))
        | Q(user__username=q)
        | Q(real_name=q)
    )


@staff_area
@require_GET
def staff_list(request: HttpRequest) -> HttpResponse:
    """Profiles, masked; exact search by ID number, phone, username or real name (no partial matches)."""
    q = request.GET.get("q", "").strip()[:64]
    page = Paginator(_search(q), 50).get_page(request.GET.get("page"))
    return render(request, "xueshi_identity/staff_list.html", {"page": page, "q": q})


def _detail(request: HttpRequest, user_id: int, revealed: dict[str, str], status: int = 200) -> HttpResponse:
    profile = get_object_or_404(IdentityProfile.objects.select_related("user", "category"), user_id=user_id)
    may_reveal = can_view_personal_data(request.user)
    return render(
        request,
        "xueshi_identity/staff_detail.html",
        {
            "profile": profile,
            "view": api.get_profile(user_id),
            "may_reveal": may_reveal,
            "revealed": revealed,
            "trail": audit.views_of(user_id)[:50] if may_reveal else [],
        },
        status=status,
    )


@staff_area
@require_GET
def staff_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    """One learner's profile, masked, with the reveal form (for allowed roles) and the audit trail."""
    return _detail(request, user_id, {})


@staff_area
@require_POST
def staff_reveal(request: HttpRequest, user_id: int) -> HttpResponse:
    """Show one full value after recording who, why and from where; 403 for roles that may not."""
    field = request.POST.get("field", "")
    purpose = request.POST.get("purpose", "").strip()
    if field not in REVEALABLE or not purpose:
        return _detail(request, user_id, {"error": _("Choose what to show and give the reason.")}, status=400)
    get_object_or_404(IdentityProfile, user_id=user_id)
    try:
        value = REVEALABLE[field](request.user, user_id, purpose, request)
    except audit.FullViewDenied:
        return HttpResponseForbidden(_("Your role may see masked values only."))
    return _detail(request, user_id, {field: value})


@staff_area
@require_GET
def staff_export(request: HttpRequest) -> HttpResponse:
    """The (searched) profiles as a masked xlsx file."""
    q = request.GET.get("q", "").strip()[:64]
    response = HttpResponse(exporting.export_workbook(_search(q)[:20000]), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="xueshi-real-name-profiles.xlsx"'
    return response


@staff_area
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    """The xlsx template for bulk import."""
    response = HttpResponse(importing.template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="xueshi-learners-template.xlsx"'
    return response


@staff_area
@require_http_methods(["GET", "POST"])
def staff_import(request: HttpRequest) -> HttpResponse:
    """Upload a filled template; show the per-row report; write nothing unless every row is valid."""
    context: dict[str, Any] = {"report": None, "file_error": ""}
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["file_error"], status = _("Choose an .xlsx file."), 400
        elif upload.size and upload.size > importing.MAX_BYTES:
            context["file_error"], status = _("The file is larger than 5 MB."), 400
        else:
            try:
                report = importing.import_learners(upload.read(), dry_run=bool(request.POST.get("dry_run")))
            except importing.ImportFileError as exc:
                context["file_error"], status = str(exc), 400
            else:
                context["report"] = report
                status = 200 if report.ok else 400
    return render(request, "xueshi_identity/staff_import.html", context, status=status)
