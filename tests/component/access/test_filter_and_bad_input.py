"""The LMS login filter step, tampered tokens and bad input: clear 4xx, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory, override_settings
from openedx_filters.learning.filters import StudentLoginRequested

from xueshi_access import throttle
from xueshi_access.models import AccessEvent

from .conftest import app_client, app_token, browser, web_sign_in

DEVICE_API = "/xueshi/access/api/v1/device"


def run_filter_as_lms(user: Any, password: str) -> Any:
    """What login_user does: the filter with the POST in crum's current request."""
    from crum import impersonate, set_current_request

    request = RequestFactory().post(
        "/api/user/v2/account/login_session/",
        {"email_or_username": user.username, "password": password},
        REMOTE_ADDR="61.135.169.121",
    )
    set_current_request(request)
    try:
        with impersonate(None):
            return StudentLoginRequested.run_filter(user=user)
    finally:
        set_current_request(None)


@override_settings(XUESHI_ACCESS_CONCURRENT_LOGIN="refuse")
def test_filter_refuses_only_with_the_right_password_while_another_device_is_active(learner: Any) -> None:
    pc = browser()
    web_sign_in(pc)
    assert run_filter_as_lms(learner, "wrong") == learner  # a stranger learns nothing
    with pytest.raises(StudentLoginRequested.PreventLogin) as refused:
        run_filter_as_lms(learner, "xueshi-demo-2026")
    assert refused.value.error_code == "signed_in_elsewhere"
    assert "另一台设备" in str(refused.value)


@override_settings(XUESHI_ACCESS_ACCOUNT_FAILURE_LIMIT=2)
def test_filter_stops_a_locked_account(learner: Any) -> None:
    throttle.record_failure("zhangsan", "1.2.3.4")
    throttle.record_failure("zhangsan", "1.2.3.5")
    with pytest.raises(StudentLoginRequested.PreventLogin) as locked:
        run_filter_as_lms(learner, "xueshi-demo-2026")
    assert locked.value.error_code == "account_locked"


@pytest.mark.parametrize(
    "header",
    [
        "JWT not.a.jwt",
        "JWT eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjoxfQ.tampered",
        "Bearer " + "x" * 40,
        "Bearer ",
        "JWT " + "a" * 9000,
        "Basic Zm9vOmJhcg==",
    ],
)
def test_tampered_or_garbage_tokens_get_a_4xx_never_a_500(learner: Any, header: str) -> None:
    reply = Client().get(DEVICE_API, HTTP_AUTHORIZATION=header)
    assert 400 <= reply.status_code < 500


def test_a_jwt_with_a_forged_signature_is_not_mistaken_for_the_current_device(learner: Any) -> None:
    good = app_token(app_client()).json()["access_token"]
    head, body, _sig = good.split(".")
    forged = f"{head}.{body}.{'A' * 43}"
    assert Client().get(DEVICE_API, HTTP_AUTHORIZATION=f"JWT {forged}").status_code == 401


@pytest.mark.parametrize(
    "query",
    ["start=2026-13-45", "start=2026-05-02&end=2026-05-01", "ip=999.1.1.1", "event=bogus", "q=" + "x" * 300],
)
def test_audit_page_bad_filters_are_400_with_reasons(demo_site: Any, query: str) -> None:
    staff = Client()
    staff.force_login(
        __import__("django.contrib.auth", fromlist=["x"]).get_user_model().objects.get(username="operator")
    )
    reply = staff.get(f"/xueshi/access/audit/?{query}")
    assert reply.status_code == 400
    assert "errorlist" in reply.content.decode()
    assert staff.get(f"/xueshi/access/audit/export.xlsx?{query}").status_code == 400


@pytest.mark.parametrize("query", ["days=0", "days=abc", "days=9999", "course=not-a-course", "end=yesterday"])
def test_suspicious_page_bad_filters_are_400(demo_site: Any, query: str) -> None:
    from django.contrib.auth import get_user_model

    staff = Client()
    staff.force_login(get_user_model().objects.get(username="operator"))
    assert staff.get(f"/xueshi/access/suspicious/?{query}").status_code == 400
    assert staff.get(f"/xueshi/access/suspicious/export.xlsx?{query}").status_code == 400


def test_learners_cannot_read_the_audit(learner: Any) -> None:
    pc = browser()
    web_sign_in(pc)
    assert pc.get("/xueshi/access/audit/").status_code == 403
    assert pc.get("/xueshi/access/suspicious/export.xlsx").status_code == 403
    assert Client().get("/xueshi/access/audit/")["Location"].startswith("/login/")


def test_token_endpoint_bad_input_is_an_oauth_error_not_a_500(learner: Any) -> None:
    app = app_client()
    assert app.post("/oauth2/access_token", {"grant_type": "password"}).status_code in (400, 401)
    assert app.post("/oauth2/access_token", {}).status_code in (400, 401)
    assert app.get("/oauth2/access_token").status_code == 405
    bad = app.post(
        "/oauth2/access_token",
        {
            "grant_type": "password",
            "client_id": "xueshi-sandbox-mobile",
            "username": "zhangsan",
            "password": "wrong",
        },
    )
    assert bad.status_code in (400, 401)
    assert AccessEvent.objects.filter(event="sign_in_failed", username="zhangsan", kind="app").exists()


def test_ended_notice_never_redirects_off_site(demo_site: Any) -> None:
    page = Client().get("/xueshi/access/ended/?reason=replaced&next=https://evil.example/")
    assert page.status_code == 200
    assert "evil.example" not in page.content.decode()
