"""Who sees which learner on the real-name staff pages: scopes, least privilege, reveal by POST + CSRF.

Two learners in two regions (Nanjing 3201xx, Beijing 1101xx); a city supervisor bound to Nanjing
must never list, find, export, open or reveal the Beijing learner, and gets 403/404, never a 500.
"""

from __future__ import annotations

from io import BytesIO

import pytest
from django.test import override_settings
from openpyxl import load_workbook

from xueshi_core.models import PersonalDataView

from ..permkit import account, full_id_number, learner_in, signed_in, with_csrf_cookie

STAFF = "/xueshi/identity/staff/"


@pytest.fixture
def two_regions(db: None) -> dict[str, object]:
    return {
        "nanjing": learner_in("nj-learner", ("320000", "320100", "320102"), "南京建工集团", 981),
        "beijing": learner_in("bj-learner", ("110000", "", "110101"), "北京东城会计所", 982),
    }


def _export_usernames(client: object, query: str = "") -> set[str]:
    response = client.get(f"{STAFF}export.xlsx{query}")  # type: ignore[attr-defined]
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    return {str(c) for row in sheet.iter_rows(values_only=True) for c in row if c}


def test_city_supervisor_sees_only_their_region(two_regions: dict) -> None:
    nanjing, beijing = two_regions["nanjing"], two_regions["beijing"]
    client = signed_in(account("nj-sup", "xueshi_supervisor_city", regions="320100"))
    listing = client.get(STAFF).content.decode()
    assert "nj-learner" in listing and "bj-learner" not in listing
    found = client.get(STAFF, {"q": full_id_number(beijing)}).content.decode()
    assert "bj-learner" not in found  # an exact search does not confirm the learner exists
    assert client.get(f"{STAFF}{beijing.user_id}/").status_code == 404
    assert client.get(f"{STAFF}{nanjing.user_id}/").status_code == 200
    cells = _export_usernames(client)
    assert "nj-learner" in cells and "bj-learner" not in cells
    assert _export_usernames(client, f"?q={beijing.user.username}") & {"bj-learner"} == set()
    reveal = client.post(f"{STAFF}{beijing.user_id}/reveal/", {"field": "id_number", "purpose": "看看"})
    assert reveal.status_code == 403
    assert PersonalDataView.objects.count() == 0


def test_supervisor_has_no_import_and_an_unbound_one_sees_nobody(two_regions: dict) -> None:
    bound = signed_in(account("nj-sup", "xueshi_supervisor_city", regions="320100"))
    assert 'id="staff-import"' not in bound.get(STAFF).content.decode()
    assert bound.get(f"{STAFF}import/").status_code == 403
    assert bound.get(f"{STAFF}import/template.xlsx").status_code == 403
    unbound = signed_in(account("new-sup", "xueshi_supervisor_province"))
    listing = unbound.get(STAFF).content.decode()
    assert "nj-learner" not in listing and "bj-learner" not in listing
    assert unbound.get(f"{STAFF}{two_regions['nanjing'].user_id}/").status_code == 404


def test_employer_contact_sees_only_their_employer(two_regions: dict) -> None:
    client = signed_in(account("hr", "xueshi_employer_contact", employers="南京建工集团"))
    listing = client.get(STAFF).content.decode()
    assert "nj-learner" in listing and "bj-learner" not in listing
    assert client.get(f"{STAFF}{two_regions['beijing'].user_id}/").status_code == 404


@override_settings(XUESHI_PERSONAL_DATA_FULL_VIEW_GROUPS=["xueshi_supervisor_city"])
def test_a_supervisor_allowed_full_views_reveals_only_inside_the_scope(two_regions: dict) -> None:
    client = signed_in(account("nj-sup", "xueshi_supervisor_city", regions="320100"))
    outside = client.post(
        f"{STAFF}{two_regions['beijing'].user_id}/reveal/", {"field": "id_number", "purpose": "核对"}
    )
    assert outside.status_code == 404 and PersonalDataView.objects.count() == 0
    inside = client.post(
        f"{STAFF}{two_regions['nanjing'].user_id}/reveal/", {"field": "phone", "purpose": "核对"}
    )
    assert inside.status_code == 200 and "13900000981" in inside.content.decode()
    assert PersonalDataView.objects.count() == 1


def test_auditor_reads_everything_and_changes_nothing(two_regions: dict) -> None:
    client = signed_in(account("aud", "xueshi_auditor"))
    listing = client.get(STAFF).content.decode()
    assert "nj-learner" in listing and "bj-learner" in listing
    assert 'id="staff-import"' not in listing and 'id="staff-export"' in listing
    assert client.get(f"{STAFF}import/").status_code == 403
    assert client.post(f"{STAFF}import/", {}).status_code == 403
    assert client.get(f"{STAFF}import/template.xlsx").status_code == 403
    assert client.get("/xueshi/access/audit/").status_code == 200


def test_django_staff_and_superuser_flags_alone_see_no_learner(two_regions: dict) -> None:
    for flags in ({"is_staff": True}, {"is_staff": True, "is_superuser": True}):
        client = signed_in(account(f"admin-{len(flags)}", **flags))
        assert client.get(STAFF).status_code == 403
        assert client.get(f"{STAFF}export.xlsx").status_code == 403
        assert client.get(f"{STAFF}{two_regions['beijing'].user_id}/").status_code == 403
        assert client.get("/xueshi/api/v1/status").status_code == 200  # the system administrator's share
    assert PersonalDataView.objects.count() == 0


def test_reveal_is_post_with_csrf_only(two_regions: dict) -> None:
    url = f"{STAFF}{two_regions['beijing'].user_id}/reveal/"
    form = {"field": "id_number", "purpose": "核对学员身份"}
    client = signed_in(account("aud", "xueshi_auditor"), csrf=True)
    assert client.get(url, form).status_code == 405  # a cross-site <img> cannot reveal
    token = with_csrf_cookie(client)
    assert client.post(url, form).status_code == 403  # a cross-site form post has no token
    assert PersonalDataView.objects.count() == 0
    shown = client.post(url, {**form, "csrfmiddlewaretoken": token})
    assert shown.status_code == 200 and full_id_number(two_regions["beijing"]) in shown.content.decode()
    assert list(PersonalDataView.objects.values_list("actor_username", "field")) == [("aud", "id_number")]


def test_the_admin_follows_the_same_roles_and_scopes(two_regions: dict) -> None:
    profiles, scopes = "/admin/xueshi_identity/identityprofile/", "/admin/xueshi_core/accountscope/"
    root = signed_in(account("root", is_staff=True, is_superuser=True))
    assert root.get(profiles).status_code == 403  # 三员分立: no learner through the admin either
    assert root.get("/admin/xueshi_core/personaldataview/").status_code == 403
    nanjing_op = signed_in(account("nj-op", "xueshi_operator", regions="320100", is_staff=True))
    listing = nanjing_op.get(profiles).content.decode()
    assert "nj-learner" in listing and "bj-learner" not in listing
    assert nanjing_op.get(f"{scopes}add/").status_code == 200
    auditor = signed_in(account("aud", "xueshi_auditor", is_staff=True))
    assert auditor.get(scopes).status_code == 200 and auditor.get(f"{scopes}add/").status_code == 403
