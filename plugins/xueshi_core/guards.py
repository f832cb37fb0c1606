"""The gate every staff view passes: ``@requires(action)`` for Django views, ``HasAction`` for DRF.

Both ask ``permissions.may``; scoping the learners a view shows is the view's job, through
``permissions.scope_of(request.user)`` (a learner outside the scope answers 404, as if absent).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.utils.translation import gettext as _
from rest_framework.permissions import BasePermission

from . import permissions

View = Callable[..., HttpResponse]


def refusal(request: HttpRequest, *, api: bool) -> HttpResponse:
    """401/redirect for anonymous callers, 403 for signed-in ones; JSON for APIs, text for pages."""
    signed_in = bool(getattr(request.user, "is_authenticated", False))
    if api:
        if not signed_in:
            return JsonResponse({"error": "not_signed_in", "message": _("Sign in first.")}, status=401)
        return JsonResponse({"error": "forbidden", "message": _("Your roles do not allow this.")}, status=403)
    if not signed_in:
        from django.contrib.auth.views import redirect_to_login  # loads auth models: not at import

        return redirect_to_login(request.get_full_path())
    return HttpResponseForbidden(_("Your roles do not allow this page."))


def requires(action: str, *, api: bool = False) -> Callable[[View], View]:
    """Decorate a view so only accounts whose roles grant ``action`` reach it.

    ``api=True`` answers JSON (401 ``not_signed_in``, 403 ``forbidden``) for fetch calls and
    apps; otherwise anonymous browsers are sent to sign in and others get a 403 page.
    """
    if action not in permissions.ACTIONS:
        raise ValueError(f"unknown action {action!r}")

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not permissions.may(request.user, action):
                return refusal(request, api=api)
            return view(request, *args, **kwargs)

        wrapper.xueshi_action = action  # type: ignore[attr-defined]  # read by the permission tests
        return wrapper

    return decorate


class HasAction(BasePermission):  # type: ignore[misc]  # DRF ships no type hints
    """DRF permission: the view's ``xueshi_action`` must be granted (``permission_classes``)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        """Signed in, active, and a role that grants the view's action."""
        return permissions.may(request.user, view.xueshi_action)
