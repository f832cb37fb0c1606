"""Operators create and edit supervisor accounts: role, GB/T 2260 regions at the role's level, employers."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from xueshi_core import permissions, roles
from xueshi_core.models import AccountScope

from ..permkit import account, signed_in

pytestmark = [pytest.mark.component, pytest.mark.django_db]

NEW = "/xueshi/stats/supervisors/new/"


@pytest.fixture
def operator(db: Any) -> Any:
    return signed_in(account("sup_operator", roles.OPERATOR))


def form(**fields: str) -> dict[str, str]:
    base = {"username": "gulou_jg", "email": "gulou@example.invalid", "full_name": "王监管"}
    return {**base, "role": roles.SUPERVISOR_COUNTY, "region_codes": "350102", **fields}


def test_an_operator_creates_a_county_supervisor_who_then_sees_only_the_county(operator: Any) -> None:
    response = operator.post(NEW, form())
    assert response.status_code == 302, response.content.decode()
    user = User.objects.get(username="gulou_jg")
    assert set(user.groups.values_list("name", flat=True)) == {roles.SUPERVISOR_COUNTY}
    assert AccountScope.objects.get(user=user).region_codes == "350102"
    assert not user.has_usable_password()
    assert permissions.scope_of(user).regions == ("350102",)
    supervisor = signed_in(user)
    assert supervisor.get("/api/xueshi/stats/figures/", {"region": "350102"}).status_code == 200
    assert supervisor.get("/api/xueshi/stats/figures/", {"region": "350103"}).status_code == 403
    listing = operator.get(reverse("xueshi_stats:supervisors")).content.decode()
    assert "gulou_jg" in listing and "王*" in listing and "王监管" not in listing, "names are masked"


def test_editing_changes_the_role_and_the_binding(operator: Any) -> None:
    user = account("edit_jg", roles.SUPERVISOR_COUNTY, regions="350102")
    url = reverse("xueshi_stats:supervisor-edit", args=[user.pk])
    assert operator.get(url).status_code == 200
    fields = form(role=roles.SUPERVISOR_CITY, region_codes="350100,350200")
    response = operator.post(url, fields)
    assert response.status_code == 302, response.content.decode()
    assert set(user.groups.values_list("name", flat=True)) == {roles.SUPERVISOR_CITY}
    assert permissions.scope_of(user).regions == ("350100", "350200")


@pytest.mark.parametrize(
    ("fields", "field", "reason"),
    [
        ({"region_codes": "999999"}, "region_codes", "Not a GB/T 2260 division in force: 999999"),
        ({"region_codes": "3501"}, "region_codes", "Region codes:"),
        ({"region_codes": "350100"}, "region_codes", "is bound to county codes: 350100"),
        ({"role": roles.SUPERVISOR_PROVINCE}, "region_codes", "is bound to province codes: 350102"),
        ({"region_codes": ""}, "region_codes", "A supervisor is bound to at least one region."),
        (
            {"role": roles.EMPLOYER_CONTACT},
            "employers",
            "An employer contact is bound to at least one employer.",
        ),
        ({"role": "xueshi_operator"}, "role", "Select a valid choice."),
        ({"username": "a b"}, "username", ""),
        ({"username": "sup_operator"}, "username", "This username is taken."),
        ({"email": "not-an-email"}, "email", ""),
    ],
)
def test_bad_input_is_a_400_that_says_why(
    operator: Any, fields: dict[str, str], field: str, reason: str
) -> None:
    response = operator.post(NEW, form(**fields))
    assert response.status_code == 400
    html = response.content.decode()
    assert f'data-field="{field}"' in html and reason in html
    assert not User.objects.filter(
        username=form(**fields)["username"], groups__name__startswith="xueshi_sup"
    ).exists()


def test_an_operator_bound_to_a_city_binds_only_inside_it(db: Any) -> None:
    city_operator = signed_in(account("fz_operator", roles.OPERATOR, regions="350100"))
    response = city_operator.post(NEW, form(region_codes="350203"))
    assert response.status_code == 400 and "Outside your own scope: 350203" in response.content.decode()
    assert city_operator.post(NEW, form()).status_code == 302


def test_only_operators_reach_the_pages(db: Any) -> None:
    supervisor = account("plain_jg", roles.SUPERVISOR_PROVINCE, regions="350000")
    client = signed_in(supervisor)
    for url in (
        NEW,
        reverse("xueshi_stats:supervisors"),
        reverse("xueshi_stats:supervisor-edit", args=[supervisor.pk]),
    ):
        assert client.get(url).status_code == 403
    assert (
        client.post(NEW, form()).status_code == 403 and not User.objects.filter(username="gulou_jg").exists()
    )


def test_an_unknown_or_malformed_account_id_is_a_4xx(operator: Any) -> None:
    plain = account("not_a_supervisor")
    for raw, status in (("abc", 400), (str(10**30), 400), ("999999", 404), (str(plain.pk), 404)):
        assert operator.get(f"/xueshi/stats/supervisors/{raw}/").status_code == status
