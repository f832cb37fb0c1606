"""Send learners without a complete real-name profile to the profile page before they study.

Pages under the protected paths redirect to ``/xueshi/identity/profile/?next=…``; APIs answer
``403`` with ``error_code: identity_profile_required`` and the page's URL, so the mobile app can
open it. Staff and Xueshi role holders are exempt. The caller is whoever ``xueshi_core.caller``
says (session, JWT or the app's opaque DOT token); credentials it cannot verify are answered 401
here, so no token the gate cannot read slips past it.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils.translation import gettext as _

from xueshi_core.caller import CallerRefused, who_is_calling

from . import api, conf

ERROR_CODE = "identity_profile_required"


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
        if not conf.profile_required() or not conf.is_protected(request.path):
            return None
        try:
            caller = who_is_calling(request)
        except CallerRefused as exc:
            if not _is_api(request):
                return None  # an ended session: the page itself sends the learner to sign in
            return JsonResponse({"error_code": exc.code, "developer_message": exc.detail}, status=401)
        # Profile first: studying learners have one, so staff and role checks (queries) stay rare.
        if caller is None or api.may_study(caller.user_id) or api.is_exempt(caller.user()):
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
