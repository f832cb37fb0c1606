"""The language switcher, as the LMS saves it: the session's language and, signed in, ``pref-lang``.

Open edX keeps a signed-in learner's language choice as the ``pref-lang`` user preference (what the
account settings and the header's selector write, ``openedx/core/djangoapps/lang_pref``); apps
that write to the learner outside a request (notifications, ADR 0343) read it from there. The
sandbox's switcher posts to Django's ``set_language`` at the LMS's path; this view does that and
saves the preference too.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.i18n import set_language

from .models import UserPreference

LANGUAGE_KEY = "pref-lang"


def switch_language(request: HttpRequest) -> HttpResponse:
    """Django's ``set_language``; a signed-in user's choice is also their ``pref-lang``."""
    response = set_language(request)
    code = str(request.POST.get("language", ""))
    if request.method == "POST" and request.user.is_authenticated and code in dict(settings.LANGUAGES):
        UserPreference.objects.update_or_create(user=request.user, key=LANGUAGE_KEY, defaults={"value": code})
    return response
