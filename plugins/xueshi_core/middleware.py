"""``BadInputMiddleware``: a refused parameter anywhere in a plain Django view becomes its 4xx.

Views validate with :mod:`xueshi_core.params` and :mod:`xueshi_core.jsonbody` before any query;
both raise ``BadInput``. Catching it here, once, means a view never needs its own ``try`` for
malformed input and can never turn one into a 500 (ADR 0020). DRF views answer through
``xueshi_core.drf.guarded_exception_handler`` before this is reached.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

from .jsonbody import BadInput, error_body


class BadInputMiddleware:
    """Turn an uncaught ``BadInput`` into a JSON 4xx ``{"error": code, "detail": reason}``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Pass the request on unchanged."""
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> Any:
        """Answer a refused input; leave every other exception to Django."""
        if isinstance(exception, BadInput):
            return JsonResponse(error_body(exception), status=exception.status)
        return None
