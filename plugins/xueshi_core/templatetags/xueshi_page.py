"""``{% xueshi_header %}``: the header of every Xueshi page (menu by role, language, sign in/out).

A template tag, not a context processor, so it works in the LMS without touching its TEMPLATES
setting; it needs only ``request`` in the context (the LMS and the sandbox both provide it) and
degrades to the brand alone without one (Django's 500 page renders without a request).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language

from .. import menus

register = template.Library()
#: The switcher's languages (Django's ``set_language``): the LMS lists dozens, learners need these.
SWITCHER_LANGUAGES = (("zh-cn", "简体中文"), ("en", "English"))


def _first_url(*names: str) -> str:
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return ""


def _site_languages() -> set[str]:
    return {code.lower() for code, _name in getattr(settings, "LANGUAGES", ())}


@register.inclusion_tag("xueshi_core/_header.html", takes_context=True)
def xueshi_header(context: Any) -> dict[str, Any]:
    """Everything ``_header.html`` shows, from the request in the context."""
    request = context.get("request")
    user = getattr(request, "user", None)
    # Back to this page after switching language: its path only. The query string is the visitor's
    # own input (a ``next=https://…`` in it must not be echoed into the page as a target).
    path = request.path if request is not None else "/"
    return {
        "request": request,
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "sections": menus.menu_for(user, request.path if request is not None else ""),
        "home_url": _first_url("dashboard", "sandbox_lms:index") or "/",
        "login_url": _first_url("login", "signin_user"),
        "logout_url": _first_url("logout"),
        "set_language_url": _first_url("set_language") if request is not None else "",
        "languages": [(code, name) for code, name in SWITCHER_LANGUAGES if code in _site_languages()],
        "current_language": (get_language() or "").lower(),
        "next_path": path,
    }
