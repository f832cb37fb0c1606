"""``/xueshi/hours/api/v1/archive`` (the learner's own) and ``…/learners/<id>/archive`` (staff).

The learning archive for the mobile app, H5 pages and HR systems, with the page's rules
(``archive_views``): a learner reads their own; staff whose roles grant ``view_learners`` read a
learner in their scope (outside it: 404, as if absent), only with a stated purpose, and each
read writes a personal-data audit row before anything is returned. Names and ID numbers are
masked for staff; the learner's own ID number and phone are masked too. Errors carry a stable
``error_code``: never a 500 for bad input.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xueshi_core import audit
from xueshi_core.api import VIEW_LEARNERS, may, may_see_learner
from xueshi_core.drf import GuardedViewMixin

from ... import archive
from ...archivejson import archive_json

ARCHIVE_FIELD = "learning_archive"  # the same audit field as the staff archive page
PURPOSE_MAX = 200


def _bad(code: str, message: str, status: int = 400) -> Response:
    return Response({"error_code": code, "developer_message": message}, status=status)


def _year(raw: Any) -> int | None:
    """``None`` for the current period; ``ValueError`` for anything but a year 2000–2100."""
    if raw in (None, ""):
        return None
    text = str(raw)
    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise ValueError(text)
    return int(text)


def _own_person(user_id: int) -> dict[str, Any] | None:
    from xueshi_identity import api as identity

    view = identity.get_profile(user_id)
    if view is None:
        return None
    return {
        "real_name": view.real_name,
        "id_number_masked": view.id_number_masked,
        "employer": view.employer,
        "category": view.category_name,
        "regions": list(view.region_names),
    }


def _masked_person(user_id: int) -> dict[str, Any] | None:
    from xueshi_identity import api as identity

    view = identity.get_profile(user_id)
    if view is None:
        return None
    name, id_masked = identity.masked_names([user_id]).get(user_id, ("", ""))
    return {
        "real_name_masked": name,
        "id_number_masked": id_masked,
        "employer": view.employer,
        "category": view.category_name,
        "regions": list(view.region_names),
    }


class MyArchiveView(GuardedViewMixin, APIView):
    """GET the signed-in learner's archive (``?year=2026``; default: the period holding today)."""

    permission_classes = [permissions.IsAuthenticated]

    def get(self, request: Request) -> Response:
        """The archive as the archive page shows it."""
        try:
            year = _year(request.query_params.get("year"))
        except ValueError:
            return _bad("bad_year", "year must be a number from 2000 to 2100")
        record = archive.build_archive(request.user, year)
        return Response(
            archive_json(record, {"user_id": request.user.pk, **(_own_person(request.user.pk) or {})})
        )


class LearnerArchiveView(GuardedViewMixin, APIView):
    """POST ``{"purpose": "…", "year": 2026}``: a learner's archive for staff in scope, audited."""

    permission_classes = [permissions.IsAuthenticated]

    def post(self, request: Request, user_id: int) -> Response:
        """Checks scope, then the purpose, then writes the audit row, then answers."""
        if not may(request.user, VIEW_LEARNERS):
            return _bad("forbidden", "your roles do not include view_learners", 403)
        learner = get_user_model().objects.filter(pk=user_id).first()
        if learner is None or not may_see_learner(request.user, VIEW_LEARNERS, user_id):
            return _bad("not_found", "no such learner in your scope", 404)
        body = request.data if isinstance(request.data, dict) else {}
        purpose = str(body.get("purpose", "")).strip()[:PURPOSE_MAX]
        if not purpose:
            return _bad("purpose_required", "say why you open this learner's archive (purpose)")
        try:
            year = _year(body.get("year"))
        except ValueError:
            return _bad("bad_year", "year must be a number from 2000 to 2100")
        audit.record_view(request.user, user_id, ARCHIVE_FIELD, purpose, request)
        record = archive.build_archive(learner, year)
        return Response(archive_json(record, {"user_id": user_id, **(_masked_person(user_id) or {})}))
