"""URLs of the benchmark server: the sandbox's, plus the framework floor at ``bench/floor``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from sandbox.urls import urlpatterns as sandbox_urlpatterns


@csrf_exempt
def floor(request: HttpRequest) -> HttpResponse:
    """Return 204 after the full middleware stack: the least any Django view of this site costs."""
    return HttpResponse(status=204)


urlpatterns = [path("bench/floor", floor, name="bench-floor"), *sandbox_urlpatterns]
