"""Under ``refuse``, an SSO sign-in and Open edX's own single login agree (issue 15, ADR 0032).

The LMS's ``enforce_single_login`` (``PREVENT_CONCURRENT_LOGINS``, turned on by our Tutor plugin)
deletes the older browser's session inside ``login()``. Our refusal of sign-ins that run no
filter comes after ``login()``; refusing then ended both devices. The stand-in below does what
the platform's receiver does (``UserProfile.set_login_session``), connected after ours: the
order in which Django runs them must not matter.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.test import override_settings

from xueshi_access.models import AccessEvent, SignInDevice

from .conftest import PHONE_UA, browser, web_sign_in
from .sso_urls import SSO_PATH

DEVICE_API = "/xueshi/access/api/v1/device"
pytestmark = pytest.mark.django_db


@pytest.fixture
def platform_single_login() -> Iterator[None]:
    """``student.models.user.enforce_single_login``: one recorded session per account, older deleted."""
    recorded: dict[int, str] = {}

    def enforce_single_login(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
        old = recorded.get(user.pk)
        if old:
            import_module(settings.SESSION_ENGINE).SessionStore(session_key=old).delete()
        recorded[user.pk] = request.session.session_key

    user_logged_in.connect(enforce_single_login, dispatch_uid="test.enforce_single_login")
    yield
    user_logged_in.disconnect(dispatch_uid="test.enforce_single_login")


def sso_sign_in(client: Any, username: str = "zhangsan") -> Any:
    return client.post(SSO_PATH, {"username": username})


@override_settings(XUESHI_ACCESS_CONCURRENT_LOGIN="refuse", ROOT_URLCONF="tests.component.access.sso_urls")
def test_sso_sign_in_follows_the_platform_when_it_ended_the_older_session(
    learner: Any, platform_single_login: None
) -> None:
    pc, phone = browser(), browser("61.135.169.121", PHONE_UA)
    assert web_sign_in(pc).status_code == 302
    assert pc.get(DEVICE_API).json()["current"] is True

    signed_in = sso_sign_in(phone)
    assert signed_in.status_code == 302, signed_in.content  # not refused: the platform already chose
    assert phone.get(DEVICE_API).json()["current"] is True
    assert pc.get(DEVICE_API).status_code == 401
    live = SignInDevice.objects.filter(user=learner, ended_at__isnull=True)
    assert live.count() == 1 and live.get().kind == "mobile"
    assert AccessEvent.objects.filter(user=learner, event=AccessEvent.SIGN_IN, reason="platform_single_login")
    assert not AccessEvent.objects.filter(user=learner, event=AccessEvent.REFUSED).exists()


@override_settings(XUESHI_ACCESS_CONCURRENT_LOGIN="refuse", ROOT_URLCONF="tests.component.access.sso_urls")
def test_without_the_platforms_single_login_an_sso_sign_in_is_refused_and_the_first_device_stays(
    learner: Any,
) -> None:
    pc, phone = browser(), browser("61.135.169.121", PHONE_UA)
    web_sign_in(pc)
    assert pc.get(DEVICE_API).json()["current"] is True
    assert sso_sign_in(phone).status_code == 403
    assert pc.get(DEVICE_API).json()["current"] is True
    assert phone.get(DEVICE_API).status_code in (401, 403)
    assert AccessEvent.objects.filter(user=learner, event=AccessEvent.REFUSED).count() == 1
