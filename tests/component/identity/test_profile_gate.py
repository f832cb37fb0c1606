"""A learner without a complete profile is sent to the profile page; APIs answer 403 with a code."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings

from sandbox.lms.auth import mint_jwt
from xueshi_identity.models import IdentityProfile

from .conftest import profile_data

COURSE = "/courses/course-v1:XueshiDemo+AQ101+2026/"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_learner_without_profile_is_redirected_then_studies_after_completing(users: dict[str, User]) -> None:
    client = _client(users["learner"])
    response = client.get(COURSE)
    assert response.status_code == 302
    assert (
        response["Location"]
        == "/xueshi/identity/profile/?next=%2Fcourses%2Fcourse-v1%3AXueshiDemo%2BAQ101%2B2026%2F"
    )
    page = client.get(response["Location"])
    assert page.status_code == 200 and 'name="id_number"' in page.content.decode()
    saved = client.post("/xueshi/identity/profile/", {**profile_data(), "next": COURSE})
    assert saved.status_code == 302 and saved["Location"] == COURSE
    profile = IdentityProfile.objects.get(user=users["learner"])
    assert profile.completed_at is not None and profile.source == "profile_page"
    assert client.get(COURSE).status_code != 302  # the course itself now answers (404: no course seeded)


def test_api_calls_get_a_403_with_a_code_and_the_page_url(users: dict[str, User]) -> None:
    client = _client(users["learner"])
    response = client.get("/api/xueshi/studytime/v1/sessions", HTTP_ACCEPT="application/json")
    assert response.status_code == 403
    body = response.json()
    assert body["error_code"] == "identity_profile_required"
    assert body["profile_url"].endswith("/xueshi/identity/profile/")


def test_mobile_jwt_clients_are_gated_too(users: dict[str, User]) -> None:
    token = mint_jwt(users["learner"])
    response = Client().get(
        "/api/mobile/v4/users/xiaoming/course_enrollments/", HTTP_AUTHORIZATION=f"JWT {token}"
    )
    assert response.status_code == 403 and response.json()["error_code"] == "identity_profile_required"


@pytest.mark.parametrize("who", ["staff", "operator", "auditor", "supervisor"])
def test_staff_and_role_holders_are_exempt(users: dict[str, User], who: str) -> None:
    assert _client(users[who]).get(COURSE).status_code == 404  # reaches the view: no course seeded


def test_pages_outside_study_and_anonymous_users_are_untouched(users: dict[str, User]) -> None:
    assert _client(users["learner"]).get("/").status_code == 302  # home (dashboard) is gated too
    assert _client(users["learner"]).get("/xueshi/identity/profile/").status_code == 200
    assert _client(users["learner"]).get("/api/xueshi/identity/v1/divisions").status_code == 200
    assert Client().get("/").status_code == 200
    assert Client().get(COURSE).status_code == 302  # login_required, not our gate
    assert "/login/" in Client().get(COURSE)["Location"]


def test_gate_can_be_switched_off(users: dict[str, User]) -> None:
    with override_settings(XUESHI_IDENTITY_REQUIRED=False):
        assert _client(users["learner"]).get(COURSE).status_code == 404


def test_incomplete_profile_from_registration_is_still_gated(users: dict[str, User]) -> None:
    client = _client(users["learner"])
    data = profile_data(province_code="", city_code="", county_code="", employer="", category="")
    from xueshi_identity.forms import RegistrationExtensionForm

    form = RegistrationExtensionForm(data={**data, "name": data["real_name"]})  # the platform's field
    assert form.is_valid(), form.errors
    profile = form.save(commit=False)
    profile.user = users["learner"]
    profile.save()
    assert profile.completed_at is None and set(profile.missing_fields()) >= {"employer", "category"}
    assert client.get(COURSE).status_code == 302
    page = client.get("/xueshi/identity/profile/").content.decode()
    assert "profile-incomplete" in page and "3501**********" in page and 'name="id_number"' not in page


def test_profile_page_post_with_bad_input_is_400_with_reasons(users: dict[str, User]) -> None:
    client = _client(users["learner"])
    response = client.post(
        "/xueshi/identity/profile/", profile_data(id_number="350102199003079910", phone="123")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "does not match" in html or "不符" in html
    assert not IdentityProfile.objects.filter(user=users["learner"]).exists()


def test_open_redirects_are_refused(users: dict[str, User]) -> None:
    client = _client(users["learner"])
    saved = client.post("/xueshi/identity/profile/", {**profile_data(), "next": "https://evil.example/"})
    assert saved.status_code == 302 and saved["Location"] == "/"


def test_learner_cannot_change_name_or_number_once_saved(
    users: dict[str, User], complete_profile: Any
) -> None:
    client = _client(users["learner"])
    before = complete_profile.id_number_hash
    response = client.post(
        "/xueshi/identity/profile/",
        profile_data(real_name="别人", id_number="11010519491231002X", employer="新单位", phone=""),
    )
    assert response.status_code == 302
    complete_profile.refresh_from_db()
    assert (complete_profile.real_name, complete_profile.id_number_hash) == ("林小明", before)
    assert complete_profile.employer == "新单位" and complete_profile.phone.reveal() == "13912345678"


def test_the_gate_remembers_a_complete_profile_briefly_and_forgets_it_on_change(
    users: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    from xueshi_identity import gatecache

    learner = users["learner"]
    client = _client(learner)
    client.post("/xueshi/identity/profile/", profile_data())
    assert client.get(COURSE).status_code != 302
    assert gatecache.known_complete(learner.pk)
    # A staff correction through the model: this process forgets at once and the gate re-reads.
    profile = IdentityProfile.objects.get(user=learner)
    profile.employer = ""
    profile.save()
    assert not gatecache.known_complete(learner.pk)
    assert client.get(COURSE).status_code == 302
    profile.employer = "福州市第一建筑公司"
    profile.save()
    assert client.get(COURSE).status_code != 302
    # A change this process cannot see (another process, a bulk update) is trusted until the TTL ends.
    IdentityProfile.objects.filter(user=learner).update(completed_at=None)
    assert client.get(COURSE).status_code != 302
    later = gatecache.clock() + gatecache.ttl_seconds() + 1
    monkeypatch.setattr(gatecache, "clock", lambda: later)
    assert client.get(COURSE).status_code == 302


def test_the_gate_can_be_told_to_remember_nothing(users: dict[str, User]) -> None:
    from xueshi_identity import gatecache

    learner = users["learner"]
    client = _client(learner)
    with override_settings(XUESHI_IDENTITY_GATE_CACHE_SECONDS=0):
        client.post("/xueshi/identity/profile/", profile_data())
        assert client.get(COURSE).status_code != 302
        assert not gatecache.known_complete(learner.pk)
        IdentityProfile.objects.filter(user=learner).update(completed_at=None)
        assert client.get(COURSE).status_code == 302
