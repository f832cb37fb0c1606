"""Sends a learner who still owes the sign-in face check to the check page before anything else.

The ledger hold already stops crediting; this makes the learner see the check first. Only page
loads (GET of HTML) are redirected: API calls, the check and enrolment pages, sign-out and static
files pass, so the check page itself and the mobile app's APIs keep working.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.http import HttpResponseRedirect

from . import conf, tokens
from .data import SIGNIN, CheckContext

SESSION_FLAG = "xueshi_face_signin_pending"
PASS_THROUGH = ("/xueshi/face/", "/logout", "/static/", "/media/", "/api/", "/admin/", "/i18n/", "/jsi18n/")


class FaceSignInMiddleware:
    """Installed by the plugin's settings; inert unless ``XUESHI_FACE_CHECK_AT_SIGNIN`` is on."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        """Redirect a page load to the check page while the sign-in check is owed."""
        if self._owes_check(request):
            user_id = request.user.id
            url = tokens.check_url(user_id, CheckContext(SIGNIN))
            return HttpResponseRedirect(f"{url}&next={quote(request.get_full_path(), safe='')}")
        return self.get_response(request)

    @staticmethod
    def _owes_check(request: Any) -> bool:
        session = getattr(request, "session", None)
        if request.method != "GET" or session is None or not session.get(SESSION_FLAG):
            return False
        if not conf.check_at_signin() or not getattr(request.user, "is_authenticated", False):
            return False
        if request.path.startswith(PASS_THROUGH):
            return False
        return "html" in request.META.get("HTTP_ACCEPT", "text/html") or not request.META.get("HTTP_ACCEPT")
