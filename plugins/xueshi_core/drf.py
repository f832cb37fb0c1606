"""DRF wiring of the guarded reader: one parser, one exception handler, one base-view mixin.

DRF's own ``JSONParser`` is ``json.load`` with none of the guards of :mod:`xueshi_core.jsonbody`,
and DRF's default exception handler returns ``None`` for anything that is not an ``APIException``,
which Django then serves as a 500. ``GuardedViewMixin`` puts both right for every Xueshi API view
without touching the platform's global ``REST_FRAMEWORK`` settings (ADR 0020).
"""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser
from rest_framework.response import Response
from rest_framework.views import exception_handler

from .jsonbody import DEFAULT_MAX_BYTES, BadInput, error_body, read_stream


class GuardedJSONParser(BaseParser):
    """``application/json`` bodies read through :func:`xueshi_core.jsonbody.read_stream`."""

    media_type = "application/json"
    max_bytes = DEFAULT_MAX_BYTES

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        """Return the decoded object; a refused body raises ``BadInput`` (a 400 via the handler)."""
        if stream is None:
            return {}
        return read_stream(stream, max_bytes=self.max_bytes, empty_ok=True)


class LargeGuardedJSONParser(GuardedJSONParser):
    """The same reader with room for authoring payloads (a whole question with its options)."""

    max_bytes = 512 * 1024


def guarded_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus ``BadInput`` as its 4xx instead of a 500."""
    if isinstance(exc, BadInput):
        return Response(error_body(exc), status=exc.status)
    if isinstance(exc, ParseError) and isinstance(exc.__cause__, BadInput):
        return Response(error_body(exc.__cause__), status=exc.__cause__.status)
    return exception_handler(exc, context)


class GuardedViewMixin:
    """Mix into every Xueshi ``APIView``: guarded JSON parsing and 4xx for refused input."""

    parser_classes = [GuardedJSONParser]

    def get_exception_handler(self) -> Any:
        """DRF asks the view for its handler; ours maps ``BadInput`` to its 4xx."""
        return guarded_exception_handler
