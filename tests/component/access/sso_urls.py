"""The sandbox's URLs plus a third-party sign-in that, like the LMS's SSO pipeline, runs no filter."""

from __future__ import annotations

from django.contrib.auth import get_user_model, login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path

from sandbox.urls import urlpatterns as sandbox_urlpatterns

SSO_PATH = "/auth/complete/sandbox-sso/"


def sso_complete(request: HttpRequest) -> HttpResponse:
    """The end of ``third_party_auth``'s pipeline: ``login()`` for the user the provider vouched for."""
    user = get_user_model().objects.get(username=request.POST["username"])
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return HttpResponseRedirect("/")


urlpatterns = [path(SSO_PATH.strip("/") + "/", sso_complete), *sandbox_urlpatterns]
