"""URLs of the benchmark server: the sandbox's, plus the framework floor at ``bench/floor``.

``bench/drf-floor`` is the same 204 through a bare DRF ``APIView``, for the CPU breakdown
(``python -m benchmarks.heartbeat.breakdown``).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sandbox.urls import urlpatterns as sandbox_urlpatterns


@csrf_exempt
def floor(request: HttpRequest) -> HttpResponse:
    """Return 204 after the full middleware stack: the least any Django view of this site costs."""
    return HttpResponse(status=204)


class DrfFloor(APIView):
    """204 from DRF with no authentication: what DRF itself adds to a view."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]

    def post(self, request: Request) -> Response:
        """Nothing."""
        return Response(status=204)


urlpatterns = [
    path("bench/floor", floor, name="bench-floor"),
    path("bench/drf-floor", DrfFloor.as_view(), name="bench-drf-floor"),
    *sandbox_urlpatterns,
]
