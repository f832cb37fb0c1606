"""Staff pages: find learners (masked), reveal a full value with a reason (audited), import, export.

Who may open which page is ``xueshi_core.permissions`` (ADR 0010): ``VIEW_LEARNERS`` to list and
open profiles, ``EXPORT`` for the masked spreadsheet, ``IMPORT_LEARNERS`` for bulk import,
``REVEAL_PERSONAL_DATA`` to reveal (POST with CSRF only; each reveal writes a ``PersonalDataView``
row first). Every page shows only the learners of the account's scope; one outside it is a 404.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xueshi_core import audit
from xueshi_core.api import (
    EXPORT,
    IMPORT_LEARNERS,
    REVEAL_PERSONAL_DATA,
    VIEW_LEARNERS,
    may,
    requires,
    scope_of,
)

from . import api, exporting, idnumbers, importing
from .models import IdentityProfile

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REVEALABLE = {"id_number": api.reveal_id_number, "phone": api.reveal_phone}


def _visible(request: HttpRequest) -> Any:
    """The profiles the caller's scope covers."""
    profiles = IdentityProfile.objects.select_related("user", "category")
    return scope_of(request.user).filter_profiles(profiles)


def _search(request: HttpRequest, q: str) -> Any:
    profiles = _visible(request).order_by("-updated_at")
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


@requires(VIEW_LEARNERS)
@require_GET
def staff_list(request: HttpRequest) -> HttpResponse:
    """Profiles, masked; exact search by ID number, phone, username or real name (no partial matches)."""
    q = request.GET.get("q", "").strip()[:64]
    page = Paginator(_search(request, q), 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": q,
        "may_export": may(request.user, EXPORT),
        "may_import": may(request.user, IMPORT_LEARNERS),
    }
    return render(request, "xueshi_identity/staff_list.html", context)


def _detail(request: HttpRequest, user_id: int, revealed: dict[str, str], status: int = 200) -> HttpResponse:
    profile = get_object_or_404(_visible(request), user_id=user_id)
    may_reveal = may(request.user, REVEAL_PERSONAL_DATA)
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


@requires(VIEW_LEARNERS)
@require_GET
def staff_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    """One learner's profile, masked, with the reveal form (for allowed roles) and the audit trail."""
    return _detail(request, user_id, {})


@requires(REVEAL_PERSONAL_DATA)
@require_POST
def staff_reveal(request: HttpRequest, user_id: int) -> HttpResponse:
    """Show one full value after recording who, why and from where; 403 for roles that may not.

    POST only, behind Django's CSRF check: a cross-site ``<img>`` or link cannot write audit rows.
    """
    field = request.POST.get("field", "")
    purpose = request.POST.get("purpose", "").strip()
    get_object_or_404(_visible(request), user_id=user_id)
    if field not in REVEALABLE or not purpose:
        return _detail(request, user_id, {"error": _("Choose what to show and give the reason.")}, status=400)
    try:
        value = REVEALABLE[field](request.user, user_id, purpose, request)
    except audit.FullViewDenied:
        return HttpResponseForbidden(_("Your role may see masked values only."))
    return _detail(request, user_id, {field: value})


@requires(VIEW_LEARNERS)
@requires(EXPORT)
@require_GET
def staff_export(request: HttpRequest) -> HttpResponse:
    """The (searched) profiles of the caller's scope as a masked xlsx file."""
    q = request.GET.get("q", "").strip()[:64]
    response = HttpResponse(exporting.export_workbook(_search(request, q)[:20000]), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="xueshi-real-name-profiles.xlsx"'
    return response


@requires(IMPORT_LEARNERS)
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    """The xlsx template for bulk import."""
    response = HttpResponse(importing.template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="xueshi-learners-template.xlsx"'
    return response


@requires(IMPORT_LEARNERS)
@require_http_methods(["GET", "POST"])
def staff_import(request: HttpRequest) -> HttpResponse:
    """Upload a filled template; show the per-row report; write nothing unless every row is valid.

    Rows outside the importer's scope (regions, employers) are invalid rows like any other.
    """
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
                report = importing.import_learners(
                    upload.read(),
                    dry_run=bool(request.POST.get("dry_run")),
                    scope=scope_of(request.user),
                )
            except importing.ImportFileError as exc:
                context["file_error"], status = str(exc), 400
            else:
                context["report"] = report
                status = 200 if report.ok else 400
    return render(request, "xueshi_identity/staff_import.html", context, status=status)
