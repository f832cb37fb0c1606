"""JWTs shaped like the LMS's, so mobile-style clients can call the sandbox as they call the LMS.

The LMS mints them in ``openedx/core/djangoapps/oauth_dispatch/jwt.py``; APIs check them with
edx-drf-extensions' ``JwtAuthentication``, which is what we use to verify them here too.
"""

from __future__ import annotations

import time
from typing import Any

import jwt
from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from edx_rest_framework_extensions.auth.jwt.authentication import JwtAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

JWT_TTL_SECONDS = 3600


def mint_jwt(user: Any, ttl: int = JWT_TTL_SECONDS) -> str:
    """Sign a JWT for ``user`` with the sandbox issuer's key, with the claims the LMS sets."""
    issuer = settings.JWT_AUTH["JWT_ISSUERS"][0]
    now = int(time.time())
    payload = {
        "iss": issuer["ISSUER"],
        "aud": issuer["AUDIENCE"],
        "preferred_username": user.username,
        "user_id": user.id,
        "email": user.email,
        "administrator": user.is_staff,
        "iat": now,
        "exp": now + ttl,
        "scopes": ["user_id", "email", "profile"],
        "version": "1.2.0",
        "filters": [],
        "is_restricted": False,
    }
    return jwt.encode(payload, issuer["SECRET_KEY"], algorithm="HS256")


def authenticate_jwt(request: HttpRequest) -> Any | None:
    """Return the user of an ``Authorization: JWT …`` header, ``None`` without one.

    A present but bad token is an error, not an anonymous call: it raises ``AuthenticationFailed``.
    """
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header.startswith("JWT "):
        return None
    result = JwtAuthentication().authenticate(Request(request))
    if result is None:
        raise AuthenticationFailed("JWT not accepted")
    return result[0]


@csrf_exempt
@require_POST
def access_token(request: HttpRequest) -> JsonResponse:
    """``/oauth2/access_token``: password grant returning a JWT, as the mobile apps sign in."""
    user = authenticate(request, username=request.POST.get("username"), password=request.POST.get("password"))
    if user is None:
        return JsonResponse({"error": "invalid_grant", "error_description": "用户名或密码错误"}, status=400)
    return JsonResponse({"access_token": mint_jwt(user), "token_type": "JWT", "expires_in": JWT_TTL_SECONDS})
