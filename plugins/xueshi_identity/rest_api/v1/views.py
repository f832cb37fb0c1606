"""``/api/xueshi/identity/v1/``: the learner's own profile (masked) and the region lists.

Errors always have a stable ``error_code`` and, for validation, ``field_errors`` with codes the
app can map to its own texts: never a 500 for bad input.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.db import IntegrityError, transaction
from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xueshi_core import consent, params
from xueshi_core.drf import GuardedViewMixin

from ... import api, conf, divisions, idnumbers
from ... import consent as id_consent
from ...forms import ProfileForm
from ...models import IdentityProfile, PersonnelCategory

MAX_BODY_BYTES = 8192


def _options() -> dict[str, Any]:
    return {
        "id_types": [{"code": t, "name": idnumbers.ID_TYPES[t]} for t in conf.id_types()],
        "categories": [
            {"code": c.code, "name": c.name} for c in PersonnelCategory.objects.filter(active=True)
        ],
        # What the app shows above its unticked box; it sends the field as true with the profile.
        "consent": {
            "field": id_consent.FIELD,
            "version": consent.current_version(consent.ID_NUMBER),
            "notice_html": str(id_consent.notice()),
        },
    }


def _field_errors(form: ProfileForm) -> dict[str, list[dict[str, str]]]:
    return {
        field: [
            {"code": e.code or "invalid", "message": str(e.message % (e.params or {}))}
            for e in errors.as_data()
        ]
        for field, errors in form.errors.items()
    }


class MeView(GuardedViewMixin, APIView):
    """GET the signed-in learner's profile; PUT (or POST) it to create or complete it."""

    permission_classes = [permissions.IsAuthenticated]

    def get(self, request: Request) -> Response:
        """The profile (masked), whether the learner may study, and the choices the form offers."""
        view = api.get_profile(request.user.pk)
        return Response(
            {
                "profile": asdict(view) if view else None,
                "complete": bool(view and view.complete),
                "identity_editable": view is None or conf.learner_may_edit_identity(),
                "options": _options(),
            }
        )

    def put(self, request: Request) -> Response:
        """Validate with the same form as the web page; 400 with field codes on bad input."""
        if params.content_length(request.META) > MAX_BODY_BYTES:
            return Response({"error_code": "too_large"}, status=413)
        if not isinstance(request.data, dict):
            return Response(
                {"error_code": "bad_request", "developer_message": "send a JSON object"}, status=400
            )
        instance = IdentityProfile.objects.filter(user=request.user).first()
        locked = instance is not None and not conf.learner_may_edit_identity()
        data = {
            k: ("" if v is None else str(v))
            for k, v in request.data.items()
            if not isinstance(v, dict | list)
        }
        ask = not consent.has_consented(request.user, consent.ID_NUMBER)  # PIPL art. 29
        form = ProfileForm(data=data, instance=instance, locked=locked, ask_consent=ask)
        if not form.is_valid():
            return Response({"error_code": "invalid", "field_errors": _field_errors(form)}, status=400)
        profile = form.save(commit=False)
        profile.user = request.user
        if instance is None:
            profile.source = "api"
        try:
            with transaction.atomic():
                profile.save()
        except IntegrityError:  # two accounts raced for the same ID number
            return Response(
                {
                    "error_code": "invalid",
                    "field_errors": {"id_number": [{"code": "id_number_taken", "message": ""}]},
                },
                status=400,
            )
        view = api.get_profile(request.user.pk)
        return Response(
            {"profile": asdict(view) if view else None, "complete": bool(view and view.complete)},
            status=201 if instance is None else 200,
        )

    post = put


class DivisionsView(GuardedViewMixin, APIView):
    """Current divisions under ``?parent=`` (none = provinces)."""

    permission_classes = [permissions.AllowAny]  # public reference data, needed on the sign-up page

    def get(self, request: Request) -> Response:
        """``{"results": [{"code", "name", "level"}]}``; 400 for a malformed parent code."""
        parent = request.query_params.get("parent", "")
        if parent and not (len(parent) == 6 and parent.isdigit()):
            return Response(
                {"error_code": "bad_parent", "developer_message": "parent is a 6-digit code"}, status=400
            )
        found = divisions.children(parent)
        return Response({"results": [{"code": d.code, "name": d.name, "level": d.level} for d in found]})
