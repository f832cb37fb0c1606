"""REST endpoints of the study-time ledger (v1): heartbeats, challenge answers, own summary.

The URLs of heartbeats and challenge answers are served by the plain Django views of ``plain.py``
(ADR 0703); the DRF classes here describe them in the OpenAPI schema and run the same functions.

Heartbeats authenticate by the session token (an unguessable capability bound to user, block
and session) because ``navigator.sendBeacon`` on unload cannot send a CSRF header. A session
cookie or JWT, when present, must belong to the token's user. Every bad input is a 4xx
``{"error": code, "detail": text}``; a refused heartbeat is a 200 carrying the player's state.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from edx_rest_framework_extensions.auth.jwt.authentication import JwtAuthentication
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey
from rest_framework import exceptions, status
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xueshi_studytime import api
from xueshi_studytime.challenges import ChallengeRefused
from xueshi_studytime.heartbeat import HeartbeatRejected

from . import plain
from . import schema as _schema  # noqa: F401  (registers the auth schemes)
from . import serializers as s


class ClaimedUser:
    """Who a session cookie says the caller is: enough to cross-check a token, nothing more."""

    is_authenticated = True
    is_anonymous = False

    def __init__(self, user_id: int) -> None:
        self.id = self.pk = user_id


class TokenBoundSessionAuthentication(BaseAuthentication):
    """The session cookie as a cross-check only: the body's token is the credential.

    No CSRF check (a forged cross-site request cannot know the session token) and no user row:
    the signed-in user's id is read from the session itself, so a heartbeat costs no MariaDB
    query (the path must carry ~3,400 beats/s at 100,000 learners; see docs/performance.md).
    """

    def authenticate(self, request: Request) -> tuple[ClaimedUser, None] | None:
        """The session's user id, or ``None`` for a caller without a signed-in session."""
        user_id = plain.session_user_id(request._request)
        return (ClaimedUser(user_id), None) if user_id is not None else None


class HeaderJwtAuthentication(JwtAuthentication):
    """The mobile apps' ``Authorization: JWT …`` header; without one, nothing to check (and no work)."""

    def authenticate(self, request: Request) -> Any:
        """Verify a JWT header as edx-drf-extensions does; skip requests without one."""
        if not request.META.get("HTTP_AUTHORIZATION", "").startswith("JWT "):
            return None
        return super().authenticate(request)


def error(status_code: int, code: str, detail: str) -> Response:
    """A 4xx in the ledger's error shape."""
    return Response({"error": code, "detail": detail}, status=status_code)


class LedgerView(APIView):
    """Shared error shape for the ledger's endpoints."""

    def perform_content_negotiation(self, request: Request, force: bool = False) -> tuple[Any, str]:
        """The ledger's POST endpoints speak JSON only: skip DRF's Accept-header negotiation."""
        if self.renderer_classes == [JSONRenderer]:
            return JSONRenderer(), JSONRenderer.media_type
        return super().perform_content_negotiation(request, force)

    def handle_exception(self, exc: Exception) -> Response:
        """Map our and DRF's 4xx to ``{"error", "detail"}``; anything else stays an exception."""
        if isinstance(exc, HeartbeatRejected | ChallengeRefused):
            return Response(json.loads(plain.rejection(exc).content), status=exc.status)
        response = super().handle_exception(exc)
        if isinstance(exc, exceptions.APIException) and response is not None:
            code = exc.get_codes()
            response.data = {"error": code if isinstance(code, str) else "invalid", "detail": str(exc.detail)}
        return response


class HeartbeatView(LedgerView):
    """``POST v1/heartbeats``."""

    authentication_classes = [HeaderJwtAuthentication, TokenBoundSessionAuthentication]
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]

    @extend_schema(
        request=s.HeartbeatRequestSerializer,
        responses={
            200: s.HeartbeatResponseSerializer,
            400: s.ErrorSerializer,
            401: s.ErrorSerializer,
            403: s.ErrorSerializer,
            409: s.ErrorSerializer,
        },
    )
    def post(self, request: Request) -> Response:
        """Credit (or refuse) one heartbeat and return the server's view of the playback."""
        return Response(plain.process_heartbeat(request._request))


class ChallengeAnswerView(LedgerView):
    """``POST v1/challenges/answer``."""

    authentication_classes = [HeaderJwtAuthentication, TokenBoundSessionAuthentication]
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]

    @extend_schema(
        request=s.ChallengeAnswerSerializer,
        responses={200: s.ChallengeAnswerResponseSerializer, 400: s.ErrorSerializer, 401: s.ErrorSerializer},
    )
    def post(self, request: Request) -> Response:
        """Clear the pending challenge so credit resumes."""
        return Response(plain.process_answer(request._request))


class SummaryView(LedgerView):
    """``GET v1/me/summary?course_id=…&period=day|week|month[&date=YYYY-MM-DD]``."""

    authentication_classes = [JwtAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("course_id", str, required=True),
            OpenApiParameter("period", str, enum=list(api.PERIODS), default="week"),
            OpenApiParameter("date", str, description="A China day in the period (default today)."),
        ],
        responses={200: s.SummarySerializer, 400: s.ErrorSerializer},
    )
    def get(self, request: Request) -> Response:
        """The requesting learner's own credited seconds per day and per block."""
        try:
            course = CourseKey.from_string(request.query_params.get("course_id", ""))
        except InvalidKeyError:
            return error(status.HTTP_400_BAD_REQUEST, "invalid_course_id", "course_id is not a course key")
        period = request.query_params.get("period", "week")
        if period not in api.PERIODS:
            return error(status.HTTP_400_BAD_REQUEST, "invalid_period", "period must be day, week or month")
        try:
            day = date.fromisoformat(request.query_params["date"]) if "date" in request.query_params else None
        except ValueError:
            return error(status.HTTP_400_BAD_REQUEST, "invalid_date", "date must be YYYY-MM-DD")
        return Response(api.summary(request.user.id, course, period, day).as_dict())
