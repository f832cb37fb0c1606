"""The mobile API, the registration hooks and the division data: clear 4xx for bad input, never 500."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation
from openedx_filters.learning.filters import StudentRegistrationRequested

from sandbox.lms.auth import mint_jwt
from xueshi_identity import divisions
from xueshi_identity.models import AdminDivision, IdentityProfile

from .conftest import profile_data

ME = "/api/xueshi/identity/v1/me"


def _jwt(user: User) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"JWT {mint_jwt(user)}"}


def test_me_get_then_put_with_a_jwt_like_the_app(users: dict[str, User]) -> None:
    client = Client()
    empty = client.get(ME, **_jwt(users["learner"])).json()
    assert empty["profile"] is None and empty["complete"] is False and empty["identity_editable"] is True
    assert {"code": "resident_id", "name": "居民身份证"} in empty["options"]["id_types"]
    created = client.put(
        ME, json.dumps(profile_data()), content_type="application/json", **_jwt(users["learner"])
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["complete"] is True and body["profile"]["id_number_masked"].startswith("3501**")
    assert body["profile"]["region_names"] == ["福建省", "福州市", "鼓楼区"]
    assert "13912345678" not in created.content.decode()
    assert IdentityProfile.objects.get(user=users["learner"]).source == "api"
    again = client.get(ME, **_jwt(users["learner"])).json()
    assert again["identity_editable"] is False and again["profile"]["phone_masked"] == "139****5678"


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        (profile_data(id_number="350102199003079910"), "id_number", "bad_check_digit"),
        (profile_data(id_number="990101199003079912"), "id_number", "bad_check_digit"),
        (profile_data(id_number="350102900307991"), "id_number", "legacy_15_digits"),
        (profile_data(id_number="35010220990307991X"), "id_number", None),
        (profile_data(id_type="driving_licence"), "id_type", "invalid_choice"),
        (profile_data(phone="12345"), "phone", "bad_phone"),
        (profile_data(real_name="<script>"), "real_name", "bad_name"),
        (profile_data(county_code="110101"), "county_code", None),
        (profile_data(province_code="999999"), "province_code", "invalid_choice"),
        (profile_data(category="astronaut"), "category", "invalid_choice"),
        ({"real_name": ["a", "b"], "id_number": {"x": 1}}, "real_name", "required"),
    ],
)
def test_bad_input_gets_400_with_field_codes(
    users: dict[str, User], body: dict, field: str, code: str | None
) -> None:
    response = Client().put(ME, json.dumps(body), content_type="application/json", **_jwt(users["learner"]))
    assert response.status_code == 400, response.content
    errors = response.json()["field_errors"]
    assert field in errors
    if code:
        assert errors[field][0]["code"] == code
    assert not IdentityProfile.objects.filter(user=users["learner"]).exists()


@pytest.mark.parametrize(
    ("payload", "content_type", "status"),
    [
        ("not json", "application/json", 400),
        ("[1, 2]", "application/json", 400),
        ("x" * 9000, "application/json", 413),
    ],
)
def test_malformed_bodies_are_4xx(
    users: dict[str, User], payload: str, content_type: str, status: int
) -> None:
    response = Client().put(ME, payload, content_type=content_type, **_jwt(users["learner"]))
    assert response.status_code == status


def test_anonymous_and_bad_tokens_are_401(users: dict[str, User]) -> None:
    assert Client().get(ME).status_code in (401, 403)
    assert Client().get(ME, HTTP_AUTHORIZATION="JWT not.a.token").status_code == 401


def test_divisions_api(db: None) -> None:
    client = Client()
    provinces = client.get("/api/xueshi/identity/v1/divisions").json()["results"]
    assert len(provinces) == 34 and {"code": "350000", "name": "福建省", "level": "province"} in provinces
    hubei = client.get("/api/xueshi/identity/v1/divisions?parent=420000").json()["results"]
    assert {"code": "429004", "name": "仙桃市", "level": "county"} in hubei
    assert any(d["level"] == "city" for d in hubei)
    assert client.get("/api/xueshi/identity/v1/divisions?parent=abc").status_code == 400
    assert client.get("/api/xueshi/identity/v1/divisions?parent=999999").json()["results"] == []


def test_platform_wiring_is_in_the_settings() -> None:
    assert "xueshi_identity.middleware.RequireIdentityProfileMiddleware" in settings.MIDDLEWARE
    assert settings.REGISTRATION_EXTENSION_FORM == "xueshi_identity.forms.RegistrationExtensionForm"
    assert settings.REGISTRATION_EXTRA_FIELDS["id_number"] == "required"
    step = settings.OPEN_EDX_FILTERS_CONFIG["org.openedx.learning.student.registration.requested.v1"]
    assert step["pipeline"][-1] == "xueshi_identity.pipeline.CheckIdentityAtRegistration"
    assert step["fail_silently"] is False


def test_registration_filter_refuses_bad_or_taken_numbers_and_normalises(
    complete_profile: IdentityProfile,
) -> None:
    from django.http import QueryDict

    def form(**values: str) -> QueryDict:
        data = QueryDict(mutable=True)
        data.update({"username": "newbie", "email": "n@example.invalid", "name": "林小明", **values})
        return data

    bad = profile_data(id_number="350102199003079910")
    with translation.override("en"):
        with pytest.raises(StudentRegistrationRequested.PreventRegistration, match="already registered"):
            StudentRegistrationRequested.run_filter(form_data=form(**profile_data()))
        with pytest.raises(StudentRegistrationRequested.PreventRegistration, match="last character"):
            StudentRegistrationRequested.run_filter(form_data=form(**bad))
    with (
        translation.override("zh-cn"),
        pytest.raises(StudentRegistrationRequested.PreventRegistration, match="校验码"),
    ):
        StudentRegistrationRequested.run_filter(form_data=form(**bad))
    fresh = profile_data(id_number="１１０１０５１９４９１２３１００２ｘ", phone="+86 139 0000 1111")
    result = StudentRegistrationRequested.run_filter(form_data=form(**fresh))
    assert result["id_number"] == "11010519491231002X" and result["phone"] == "13900001111"
    assert StudentRegistrationRequested.run_filter(form_data=form())["username"] == "newbie"  # no ID: passes


def test_sandbox_sign_up_saves_the_profile_through_the_extension_form(db: None) -> None:
    client = Client()
    page = client.get("/register/")
    assert page.status_code == 200 and 'name="id_number"' in page.content.decode()
    data = {
        "email": "new@example.invalid",
        "name": "陈新",
        "username": "chenxin",
        "password": "a-long-test-password-1",
        **profile_data(
            real_name="陈新", province_code="", city_code="", county_code="", employer="", category=""
        ),
    }
    response = client.post("/register/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    profile = IdentityProfile.objects.get(user__username="chenxin")
    assert profile.source == "registration" and profile.completed_at is None
    taken = client.post(
        "/register/",
        {**data, "username": "chenxin2", "email": "x@example.invalid"},
        HTTP_ACCEPT_LANGUAGE="zh-CN",
    )
    assert taken.status_code == 400 and "该证件号码已被其他账号登记" in taken.content.decode()
    assert not User.objects.filter(username="chenxin2").exists()


def _dataset(tmp_path: Path, effective: str, rows: list[list[str]]) -> Path:
    path = tmp_path / f"{effective}.json"
    path.write_text(
        json.dumps({"effective": effective, "source": "test", "divisions": rows}), encoding="utf-8"
    )
    return path


def test_dated_datasets_keep_history_of_changed_codes(
    db: None, tmp_path: Path, django_assert_num_queries: Any
) -> None:
    AdminDivision.objects.all().delete()
    first = [["650000", "新疆", "province", ""], ["659001", "石河子市", "county", "650000"]]
    divisions.load_dataset(_dataset(tmp_path, "2020-01-01", [*first, ["659099", "旧县", "county", "650000"]]))
    report = divisions.load_dataset(
        _dataset(
            tmp_path,
            "2024-01-01",
            [first[0], ["659001", "石河子", "county", "650000"], ["659012", "白杨市", "county", "650000"]],
        )
    )
    assert (report.added, report.renamed, report.retired, report.unchanged) == (1, 1, 1, 1)
    assert divisions.current("659099") is None and divisions.name_of("659099") == "旧县"
    assert divisions.ever_existed("659099") and divisions.current("659012").name == "白杨市"
    assert [d.code for d in divisions.children("650000")] == ["659001", "659012"]
    with django_assert_num_queries(1):  # a list of learners names many counties: one query
        names = divisions.names_of(["659001", "659099", "999999"])
    assert names == {"659001": "石河子", "659099": "旧县", "999999": "999999"}  # newest name; unknown as is
    again = divisions.load_dataset(tmp_path / "2024-01-01.json")
    assert again.unchanged == 3 and again.added == 0
    with pytest.raises(ValueError, match="date order"):
        divisions.load_dataset(tmp_path / "2020-01-01.json")


def test_bundled_data_has_the_freshness_probes(db: None) -> None:
    for code, name in (
        ("659012", "白杨市"),
        ("653228", "和康县"),
        ("653229", "和安县"),
        ("710000", "台湾省"),
    ):
        assert divisions.current(code).name == name
    assert AdminDivision.objects.filter(valid_to__isnull=True).count() > 3000
