"""One device at a time across web sessions, DOT Bearer tokens and JWTs (sandbox, MariaDB, Redis)."""

from __future__ import annotations

from typing import Any

from django.test import override_settings

from xueshi_access.models import AccessEvent, SignInDevice

from .conftest import PHONE_UA, app_client, app_token, browser, web_sign_in

DEVICE_API = "/xueshi/access/api/v1/device"


def test_newest_web_sign_in_ends_the_older_browser_with_a_notice(learner: Any) -> None:
    pc, phone = browser(), browser("61.135.169.121", PHONE_UA)
    assert web_sign_in(pc).status_code == 302
    assert pc.get(DEVICE_API).json()["current"] is True
    assert web_sign_in(phone).status_code == 302

    page = pc.get("/courses/course-v1:XueshiDemo+AQ101+2026/")
    assert page.status_code == 302
    assert page["Location"].startswith("/xueshi/access/ended/?reason=replaced")
    notice = pc.get(page["Location"])
    assert "其他设备" in notice.content.decode()
    # Signed out for good: the next page is the ordinary sign-in redirect, not the notice again.
    assert pc.get("/courses/course-v1:XueshiDemo+AQ101+2026/")["Location"].startswith("/login/")
    assert phone.get(DEVICE_API).json()["kind"] == "mobile"

    live = SignInDevice.objects.filter(user=learner, ended_at__isnull=True)
    assert live.count() == 1 and live.get().kind == "mobile"
    ended = AccessEvent.objects.get(event=AccessEvent.ENDED, user=learner)
    assert ended.reason == "replaced" and ended.ip == "202.96.128.86" and ended.kind == "pc"


def test_api_call_of_a_replaced_session_gets_401_session_replaced(learner: Any) -> None:
    pc = browser()
    web_sign_in(pc)
    web_sign_in(browser("61.135.169.121"))
    reply = pc.get(DEVICE_API, HTTP_ACCEPT="application/json")
    assert reply.status_code == 401
    body = reply.json()
    assert body["error_code"] == "session_replaced" and body["message"]


def test_app_jwt_sign_in_ends_the_browser_and_a_new_browser_ends_the_app(learner: Any) -> None:
    pc, app = browser(), app_client()
    web_sign_in(pc)
    grant = app_token(app)
    assert grant.status_code == 200, grant.content
    jwt = grant.json()["access_token"]
    assert grant.json()["token_type"] == "JWT"
    assert app.get(DEVICE_API, HTTP_AUTHORIZATION=f"JWT {jwt}").json()["kind"] == "app"
    assert pc.get(DEVICE_API, HTTP_ACCEPT="application/json").json()["error_code"] == "session_replaced"

    web_sign_in(browser("218.30.118.6"))
    reply = app.get(DEVICE_API, HTTP_AUTHORIZATION=f"JWT {jwt}")
    assert reply.status_code == 401
    assert reply.json()["error_code"] == "session_replaced"


def test_bearer_token_is_revoked_when_another_device_signs_in(learner: Any) -> None:
    from oauth2_provider.models import AccessToken, RefreshToken

    app = app_client()
    grant = app_token(app, token_type="bearer").json()
    bearer = grant["access_token"]
    assert app.get(DEVICE_API, HTTP_AUTHORIZATION=f"Bearer {bearer}").status_code == 200
    assert AccessToken.objects.filter(user=learner).count() == 1

    web_sign_in(browser())
    assert not AccessToken.objects.filter(user=learner).exists()
    assert not RefreshToken.objects.filter(user=learner).exists()
    reply = app.get(DEVICE_API, HTTP_AUTHORIZATION=f"Bearer {bearer}")
    assert reply.status_code == 401 and reply.json()["error_code"] == "session_replaced"
    # The refresh token died with it: the app must sign in again.
    refreshed = app.post(
        "/oauth2/access_token",
        {
            "grant_type": "refresh_token",
            "client_id": "xueshi-sandbox-mobile",
            "refresh_token": grant["refresh_token"],
        },
    )
    assert refreshed.status_code in (400, 401)


def test_refresh_keeps_the_same_device(learner: Any) -> None:
    app = app_client()
    first = app_token(app, token_type="bearer").json()
    device = app.get(DEVICE_API, HTTP_AUTHORIZATION=f"Bearer {first['access_token']}").json()["device_id"]
    second = app.post(
        "/oauth2/access_token",
        {
            "grant_type": "refresh_token",
            "client_id": "xueshi-sandbox-mobile",
            "refresh_token": first["refresh_token"],
        },
    )
    assert second.status_code == 200, second.content
    again = app.get(DEVICE_API, HTTP_AUTHORIZATION=f"Bearer {second.json()['access_token']}").json()
    assert again["device_id"] == device and again["current"] is True
    assert AccessEvent.objects.filter(event=AccessEvent.SIGN_IN, user=learner).count() == 1


@override_settings(XUESHI_ACCESS_CONCURRENT_LOGIN="refuse")
def test_refuse_policy_keeps_the_active_device_and_tells_the_new_one(learner: Any) -> None:
    pc, phone, app = browser(), browser("61.135.169.121", PHONE_UA), app_client()
    web_sign_in(pc)
    assert pc.get(DEVICE_API).status_code == 200  # active now

    refused = web_sign_in(phone)
    assert refused.status_code == 400
    assert "另一台设备" in refused.content.decode() or "其他设备" in refused.content.decode()
    token = app_token(app)
    assert token.status_code == 403
    assert token.json()["error_code"] == "signed_in_elsewhere"

    assert pc.get(DEVICE_API).json()["current"] is True
    assert AccessEvent.objects.filter(event=AccessEvent.REFUSED, user=learner).count() == 2
    from oauth2_provider.models import AccessToken

    assert not AccessToken.objects.filter(user=learner).exists()

    pc.post("/logout/")
    assert web_sign_in(phone).status_code == 302  # signed out there: now this one may sign in


@override_settings(XUESHI_ACCESS_CONCURRENT_LOGIN="refuse", XUESHI_ACCESS_ACTIVE_SECONDS=60)
def test_refuse_policy_lets_a_sign_in_through_after_the_old_device_went_idle(learner: Any) -> None:
    from xueshi_access import hotstate

    pc = browser()
    web_sign_in(pc)
    device = pc.get(DEVICE_API).json()["device_id"]
    hotstate.client().hset(hotstate.Keys(learner.id).device(device), "seen", "1")  # idle since 1970
    assert web_sign_in(browser("61.135.169.121")).status_code == 302
    assert AccessEvent.objects.get(event=AccessEvent.ENDED, user=learner).reason == "expired"


def test_sign_out_is_audited_and_frees_the_account(learner: Any) -> None:
    pc = browser()
    web_sign_in(pc)
    pc.post("/logout/")
    events = list(AccessEvent.objects.filter(user=learner).values_list("event", "reason"))
    assert (AccessEvent.SIGN_OUT, "") in events and (AccessEvent.ENDED, "signed_out") in events
    assert not SignInDevice.objects.filter(user=learner, ended_at__isnull=True).exists()
