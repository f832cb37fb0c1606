"""Send learners without a complete real-name profile to the profile page before they study.

Pages under the protected paths redirect to ``/xueshi/identity/profile/?next=…``; APIs answer
``403`` with ``error_code: identity_profile_required`` and the page's URL, so the mobile app can
open it. Staff and Xueshi role holders are exempt. Mobile clients authenticate with a JWT, which
Django's session middleware does not see; we check it here with edx-drf-extensions, as the LMS's
APIs do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils.translation import gettext as _

from . import api, conf

ERROR_CODE = "identity_profile_required"


def _jwt_user(request: HttpRequest) -> Any:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header.startswith(("JWT ", "Bearer ")):
        return None
    from edx_rest_framework_extensions.auth.jwt.authentication import JwtAuthentication
    from rest_framework.exceptions import APIException
    from rest_framework.request import Request

    try:
        result = JwtAuthentication().authenticate(Request(request))
    except APIException:
        return None  # the API itself answers 401 for a bad token
    return result[0] if result else None


def _is_api(request: HttpRequest) -> bool:
    return (
        request.path.startswith("/api/")
        or "HTTP_AUTHORIZATION" in request.META
        or "application/json" in request.META.get("HTTP_ACCEPT", "")
        or request.headers.get("x-requested-with") == "XMLHttpRequest"
    )


class RequireIdentityProfileMiddleware:
    """Gate study pages and APIs on a complete real-name profile (``XUESHI_IDENTITY_REQUIRED``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Answer for the view when the learner may not study yet."""
        blocked = self._check(request)
        return blocked if blocked is not None else self.get_response(request)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        if not conf.profile_required() or not any(p.match(request.path) for p in conf.protected_paths()):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            user = _jwt_user(request)
        # Profile first: studying learners have one, so staff and role checks (queries) stay rare.
        if user is None or not user.is_authenticated or api.may_study(user.pk) or api.is_exempt(user):
            return None
        if _is_api(request):
            return JsonResponse(
                {
                    "error_code": ERROR_CODE,
                    "developer_message": "complete the profile first: PUT /api/xueshi/identity/v1/me",
                    "user_message": _("Complete your real-name profile before you study."),
                    "profile_url": request.build_absolute_uri(conf.PROFILE_PATH),
                },
                status=403,
            )
        return HttpResponseRedirect(f"{conf.PROFILE_PATH}?{urlencode({'next': request.get_full_path()})}")
