"""The LMS's sign-in endpoints, as the mobile apps and the login form call them.

``/oauth2/access_token`` is django-oauth-toolkit's ``TokenView`` (the LMS's ``AccessTokenView``
dispatches there too, ``openedx/core/djangoapps/oauth_dispatch/views.py``); with
``token_type=jwt`` the DOT token is turned into a JWT with the LMS's claims, as
``oauth_dispatch/jwt.py`` ``create_jwt_token_dict`` does. The login form runs the
``StudentLoginRequested`` filter before the password check and sends ``SESSION_LOGIN_COMPLETED``
after ``login()``, as ``user_authn/views/login.py`` ``login_user`` does.
"""

from __future__ import annotations

import json
import time
from typing import Any

import jwt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from edx_rest_framework_extensions.auth.jwt.authentication import JwtAuthentication
from openedx_events.learning.data import UserData, UserPersonalData
from openedx_events.learning.signals import SESSION_LOGIN_COMPLETED
from openedx_filters.learning.filters import StudentLoginRequested
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

JWT_TTL_SECONDS = 3600
MOBILE_CLIENT_ID = "xueshi-sandbox-mobile"


def mint_jwt(user: Any, ttl: int = JWT_TTL_SECONDS, scopes: list[str] | None = None) -> str:
    """Sign a JWT for ``user`` as the LMS does: its claims, RS512 with ``JWT_PRIVATE_SIGNING_JWK``.

    ``openedx/core/djangoapps/oauth_dispatch/jwt.py`` ``_encode_and_sign``: the private JWK and
    ``JWT_SIGNING_ALGORITHM`` of ``JWT_AUTH``, the key's ``kid`` in the header.
    """
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
        "scopes": scopes or ["user_id", "email", "profile"],
        "version": "1.2.0",
        "filters": [],
        "is_restricted": False,
        "grant_type": "password",
    }
    algorithm = settings.JWT_AUTH["JWT_SIGNING_ALGORITHM"]
    key = jwt.PyJWK(json.loads(settings.JWT_AUTH["JWT_PRIVATE_SIGNING_JWK"]), algorithm)
    return jwt.encode(payload, key.key, algorithm=algorithm, headers={"kid": key.key_id})


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


def ensure_mobile_application() -> Any:
    """The app's OAuth2 client: public, password grant (what operators create for the mobile apps)."""
    from oauth2_provider.models import get_application_model

    model = get_application_model()
    app, _ = model.objects.get_or_create(
        client_id=MOBILE_CLIENT_ID,
        defaults={
            "name": "Xueshi sandbox mobile app",
            "client_type": model.CLIENT_PUBLIC,
            "authorization_grant_type": model.GRANT_PASSWORD,
            "skip_authorization": True,
        },
    )
    return app


def _as_jwt(response: HttpResponse) -> HttpResponse:
    """Replace the DOT token in a 200 response by a JWT for the same user, scopes and lifetime."""
    from oauth2_provider.models import get_access_token_model

    body = json.loads(response.content)
    token = get_access_token_model().objects.select_related("user").get(token=body["access_token"])
    ttl = int(getattr(settings, "JWT_ACCESS_TOKEN_EXPIRE_SECONDS", JWT_TTL_SECONDS))
    scopes = str(body.get("scope") or "").split() or None
    body.update(access_token=mint_jwt(token.user, ttl, scopes), token_type="JWT", expires_in=ttl)  # noqa: S106
    response.content = json.dumps(body).encode("utf-8")
    return response


@csrf_exempt
def access_token(request: HttpRequest) -> HttpResponse:
    """``/oauth2/access_token``: DOT's token endpoint; ``token_type=jwt`` returns a JWT."""
    from oauth2_provider.views import TokenView
    from oauthlib.oauth2.rfc6749.errors import OAuth2Error

    if request.method != "POST":
        return JsonResponse({"error": "invalid_request", "error_description": "POST only"}, status=405)
    try:
        response = TokenView.as_view()(request)
    except OAuth2Error as exc:  # oauthlib raises some refusals (a query string) instead of answering
        return JsonResponse(
            {"error": exc.error, "error_description": exc.description}, status=exc.status_code
        )
    if response.status_code == 200 and request.POST.get("token_type", "").lower() == "jwt":
        return _as_jwt(response)
    return response


class SandboxLoginView(LoginView):
    """The sign-in form, going through the same filter and event as the LMS's ``login_user``."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Run ``StudentLoginRequested`` before the password check, like the LMS."""
        typed = str(request.POST.get("username", ""))
        user = get_user_model().objects.filter(username=typed).first()
        try:
            StudentLoginRequested.run_filter(user=user)
        except StudentLoginRequested.PreventLogin as exc:
            form = self.get_form()
            form.is_valid()  # bind and clean, then show the filter's reason instead of any other
            form._errors = {"__all__": form.error_class([str(exc)])}
            return self.render_to_response(self.get_context_data(form=form), status=400)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        """``login()``, then the platform's ``SESSION_LOGIN_COMPLETED`` event."""
        response = super().form_valid(form)
        user = form.get_user()
        SESSION_LOGIN_COMPLETED.send_event(
            user=UserData(
                id=user.id,
                is_active=user.is_active,
                pii=UserPersonalData(username=user.username, email=user.email, name=user.get_full_name()),
            )
        )
        return response
