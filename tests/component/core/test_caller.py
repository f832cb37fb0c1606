"""``who_is_calling``: Django's session checks (auth hash, active account), the platform's tokens.

Against the real parts: the sandbox's sessions in MariaDB, the cache in Redis, django-oauth-toolkit's
token table, edx-drf-extensions' JWT check, and the heartbeat and identity gate that use them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sandbox.lms.auth import ensure_mobile_application, mint_jwt
from xueshi_core import caller as callers
from xueshi_core import compat
from xueshi_core.caller import BEARER, JWT, SESSION, CallerRefused, who_is_calling

pytestmark = [pytest.mark.component, pytest.mark.django_db]


@pytest.fixture
def learner() -> Any:
    return get_user_model().objects.create_user("caller-learner", "c@example.invalid", "pw-1")


def signed_in(user: Any) -> Any:
    """A request carrying ``user``'s real browser session (through the test client's login)."""
    client = Client()
    client.force_login(user)
    request = RequestFactory().get("/")
    from django.contrib.sessions.backends.db import SessionStore

    request.session = SessionStore(client.cookies["sessionid"].value)
    return request


def dot_token(user: Any, *, expired: bool = False) -> str:
    from oauth2_provider.models import get_access_token_model

    delta = timedelta(hours=-1 if expired else 1)
    row = get_access_token_model().objects.create(
        user=user,
        application=ensure_mobile_application(),
        token=f"opaque-{user.pk}-{int(expired)}",
        expires=timezone.now() + delta,
        scope="read",
    )
    return str(row.token)


def test_a_session_caller_is_checked_once_then_served_from_the_cache(learner: Any) -> None:
    callers.forget(learner.pk)
    first = who_is_calling(signed_in(learner))
    assert first is not None and (first.user_id, first.via) == (learner.pk, SESSION) and first.session_key
    with CaptureQueriesContext(connection) as queries:
        again = who_is_calling(signed_in_again := signed_in_request(first.session_key))
    assert again == first and again.binding == first.binding
    assert not [q for q in queries.captured_queries if "auth_user" in q["sql"]], "no user row per beat"
    assert signed_in_again.__dict__["_xueshi_caller"][0] is again  # memoised on the request


def signed_in_request(session_key: str) -> Any:
    from django.contrib.sessions.backends.db import SessionStore

    request = RequestFactory().get("/")
    request.session = SessionStore(session_key)
    return request


def test_a_user_django_already_resolved_is_reused_without_a_cache_read(learner: Any) -> None:
    """ADR 0707: after ``AuthenticationMiddleware``'s own check, no second check (cache or query)."""
    from unittest import mock

    from django.contrib.auth import get_user
    from django.contrib.auth.models import AnonymousUser

    key = who_is_calling(signed_in(learner)).session_key
    request = signed_in_request(key)
    request._cached_user = get_user(request)  # what the middleware's lazy ``request.user`` keeps
    with mock.patch.object(callers, "_cache", side_effect=AssertionError("cache read")):
        found = who_is_calling(request)
    assert (found.user_id, found.via, found.session_key) == (learner.pk, SESSION, key)
    assert found.known_user == learner
    # What Django resolved still has to be this session's active account.
    learner.is_active = False
    learner.save()
    inactive = signed_in_request(key)
    inactive._cached_user = get_user_model().objects.get(pk=learner.pk)
    stale = signed_in_request(key)
    stale._cached_user = AnonymousUser()
    for request in (inactive, stale):
        with pytest.raises(CallerRefused):
            who_is_calling(request)


def test_a_password_change_ends_the_old_session_at_once(learner: Any) -> None:
    request = signed_in(learner)
    key = who_is_calling(request).session_key  # cached as good
    learner.set_password("pw-2")
    learner.save()
    with pytest.raises(CallerRefused) as refused:
        who_is_calling(signed_in_request(key))
    assert refused.value.code == "session_expired"


def test_an_inactive_account_is_refused_on_every_path(learner: Any) -> None:
    key = who_is_calling(signed_in(learner)).session_key
    jwt, bearer = mint_jwt(learner), dot_token(learner)
    learner.is_active = False
    learner.save()
    with pytest.raises(CallerRefused):
        who_is_calling(signed_in_request(key))
    for header in (f"JWT {jwt}", f"Bearer {bearer}"):
        with pytest.raises(CallerRefused):
            who_is_calling(RequestFactory().get("/", HTTP_AUTHORIZATION=header))


def test_tokens_are_verified_by_the_platform_and_bad_ones_refused(learner: Any) -> None:
    jwt_caller = who_is_calling(RequestFactory().get("/", HTTP_AUTHORIZATION=f"JWT {mint_jwt(learner)}"))
    assert (jwt_caller.user_id, jwt_caller.via, jwt_caller.session_key) == (learner.pk, JWT, "")
    bearer = who_is_calling(RequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {dot_token(learner)}"))
    assert (bearer.user_id, bearer.via) == (learner.pk, BEARER)
    expired = dot_token(learner, expired=True)
    forged = mint_jwt(learner)[:-4] + "AAAA"
    for header in (f"Bearer {expired}", "Bearer never-issued", f"JWT {forged}", "JWT not.a.jwt"):
        with pytest.raises(CallerRefused):
            who_is_calling(RequestFactory().get("/", HTTP_AUTHORIZATION=header))
    assert who_is_calling(RequestFactory().get("/")) is None


def test_without_oauth_toolkit_an_opaque_token_is_refused_not_waved_through(
    learner: Any, monkeypatch: Any
) -> None:
    token = dot_token(learner)
    monkeypatch.setattr(compat, "bearer_authentication_class", lambda: None)
    with pytest.raises(CallerRefused) as refused:
        who_is_calling(RequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {token}"))
    assert refused.value.code == "token_unverifiable"
