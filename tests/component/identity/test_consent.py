"""The separate PIPL consent to processing the ID number: asked once, required, recorded with its version."""

from __future__ import annotations

import json

from django.contrib.auth.models import User
from django.test import Client

from xueshi_core import consent
from xueshi_core.models import ConsentRecord
from xueshi_identity.models import IdentityProfile

from .conftest import profile_data

PROFILE = "/xueshi/identity/profile/"


def _sign_up(**overrides: str) -> dict[str, str]:
    values = profile_data(province_code="", city_code="", county_code="", employer="", category="")
    del values["real_name"]  # asked once: the platform's own name field is the real name
    return {
        "email": "new@example.invalid",
        "name": "陈新",
        "username": "chenxin",
        "password": "a-long-test-password-1",
        **values,
        **overrides,
    }


def test_sign_up_asks_the_name_once_and_shows_the_notice_with_an_unticked_box(db: None) -> None:
    html = Client().get("/register/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert 'name="name"' in html and 'name="real_name"' not in html
    assert 'data-kind="id_number"' in html and "敏感个人信息处理告知" in html
    assert 'name="consent_id_number"' in html and "checked" not in html


def test_sign_up_without_consent_is_refused_and_saves_nothing(db: None) -> None:
    data = _sign_up()
    del data["consent_id_number"]
    response = Client().post("/register/", data, HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert response.status_code == 400
    assert "敏感个人信息" in response.content.decode()
    assert not User.objects.filter(username="chenxin").exists()
    assert not IdentityProfile.objects.exists() and not ConsentRecord.objects.exists()


def test_sign_up_with_consent_records_it_with_version_ip_and_page(db: None) -> None:
    response = Client().post("/register/", _sign_up(), REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="chenxin")
    assert IdentityProfile.objects.get(user=user).real_name == "陈新" and user.first_name == "陈新"
    record = ConsentRecord.objects.get(user_id=user.pk)
    assert (record.kind, record.version, record.ip, record.path) == (
        "id_number",
        1,
        "203.0.113.7",
        "/register/",
    )
    assert record.withdrawn_at is None and consent.has_consented(user, consent.ID_NUMBER)


def test_profile_page_refuses_without_consent_then_records_it_and_stops_asking(
    users: dict[str, User],
) -> None:
    client = Client()
    client.force_login(users["learner"])
    assert 'name="consent_id_number"' in client.get(PROFILE).content.decode()
    data = profile_data()
    del data["consent_id_number"]
    refused = client.post(PROFILE, data)
    assert refused.status_code == 400 and not IdentityProfile.objects.exists()
    assert client.post(PROFILE, profile_data()).status_code == 302
    assert ConsentRecord.objects.get(user_id=users["learner"].pk).path == PROFILE
    assert 'name="consent_id_number"' not in client.get(PROFILE).content.decode()


def test_app_api_needs_the_consent_field(users: dict[str, User]) -> None:
    client = Client()
    client.force_login(users["learner"])
    options = client.get("/api/xueshi/identity/v1/me").json()["options"]["consent"]
    assert options["field"] == "consent_id_number" and options["version"] == 1
    data = profile_data()
    del data["consent_id_number"]
    me = "/api/xueshi/identity/v1/me"
    refused = client.put(me, json.dumps(data), content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["field_errors"]["consent_id_number"][0]["code"] == "required"
    assert not IdentityProfile.objects.exists()
    data["consent_id_number"] = "true"
    assert client.put(me, json.dumps(data), content_type="application/json").status_code == 201
    assert consent.has_consented(users["learner"], consent.ID_NUMBER)
