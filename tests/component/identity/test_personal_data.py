"""Real-name data at rest and on screens: ciphertext in MariaDB, one account per ID, audited full views."""

from __future__ import annotations

import re
from io import StringIO

from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client, override_settings

from xueshi_core import crypto
from xueshi_core.models import PersonalDataView
from xueshi_identity import api
from xueshi_identity.forms import ProfileForm
from xueshi_identity.models import IdentityProfile

from .conftest import profile_data


def _raw_columns(user_id: int) -> tuple[str, str, str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, phone, id_number_hash, phone_hash FROM xueshi_identity_identityprofile"
            " WHERE user_id = %s",
            [user_id],
        )
        return cursor.fetchone()


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_columns_hold_ciphertext_not_the_numbers(complete_profile: IdentityProfile) -> None:
    number = profile_data()["id_number"]
    id_token, phone_token, id_hash, _phone_hash = _raw_columns(complete_profile.user_id)
    assert id_token.startswith("xs1.") and ".id_number." in id_token and number not in id_token
    assert phone_token.startswith("xs1.") and "13912345678" not in phone_token
    assert re.fullmatch(r"[0-9a-f]{64}", id_hash) and number not in id_hash
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM xueshi_identity_identityprofile WHERE id_number LIKE %s", [f"%{number}%"]
        )
        assert cursor.fetchone()[0] == 0
    assert complete_profile.id_number_masked == number[:4] + "*" * 10 + number[-4:]
    assert complete_profile.phone_masked == "139****5678"


def test_one_account_per_id_number(complete_profile: IdentityProfile, users: dict[str, User]) -> None:
    number = profile_data()["id_number"]
    for typed in (number, number.lower(), " ".join(number)):
        form = ProfileForm(data=profile_data(id_number=typed))
        assert not form.is_valid()
        assert form.errors.as_data()["id_number"][0].code == "id_number_taken"
    assert api.find_user_by_id_number("resident_id", number) == complete_profile.user_id
    # The database refuses it too, whoever bypasses the form.
    twin = IdentityProfile(user=users["other"], real_name="某人", id_type="resident_id")
    twin.id_number, twin.phone = number, "13900000000"
    with transaction.atomic(), __import__("pytest").raises(IntegrityError):
        twin.save()


def test_api_duplicate_is_a_clear_400(complete_profile: IdentityProfile, users: dict[str, User]) -> None:
    response = _client(users["other"]).put(
        "/api/xueshi/identity/v1/me", profile_data(), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["field_errors"]["id_number"][0]["code"] == "id_number_taken"


def test_staff_pages_show_masks_and_never_the_number(
    complete_profile: IdentityProfile, users: dict[str, User]
) -> None:
    number = profile_data()["id_number"]
    from xueshi_core.models import AccountScope

    AccountScope.objects.create(user=users["supervisor"], region_codes="350100")  # the learner's city
    for who in ("supervisor", "operator", "auditor"):
        client = _client(users[who])
        listing = client.get("/xueshi/identity/staff/").content.decode()
        detail = client.get(f"/xueshi/identity/staff/{complete_profile.user_id}/").content.decode()
        for html in (listing, detail):
            assert (
                number not in html and "13912345678" not in html and complete_profile.id_number_masked in html
            )
    assert PersonalDataView.objects.count() == 0
    assert _client(users["learner"]).get("/xueshi/identity/staff/").status_code == 403
    assert _client(users["staff"]).get("/xueshi/identity/staff/").status_code == 403  # 三员分立


def test_every_full_view_writes_an_audit_row_first(
    complete_profile: IdentityProfile, users: dict[str, User]
) -> None:
    url = f"/xueshi/identity/staff/{complete_profile.user_id}/reveal/"
    number = profile_data()["id_number"]
    auditor = _client(users["auditor"])
    shown = auditor.post(url, {"field": "id_number", "purpose": "核对学员身份"}, REMOTE_ADDR="198.51.100.7")
    assert shown.status_code == 200 and number in shown.content.decode()
    again = _client(users["operator"]).post(url, {"field": "phone", "purpose": "电话回访"})
    assert "13912345678" in again.content.decode()
    rows = list(
        PersonalDataView.objects.order_by("id").values_list("actor_username", "field", "purpose", "ip")
    )
    assert rows == [
        ("audit", "id_number", "核对学员身份", "198.51.100.7"),
        ("op", "phone", "电话回访", "127.0.0.1"),
    ]
    detail = auditor.get(f"/xueshi/identity/staff/{complete_profile.user_id}/").content.decode()
    assert "核对学员身份" in detail and "电话回访" in detail  # the trail is on the page


def test_roles_that_may_not_reveal_get_403_and_leave_no_row(
    complete_profile: IdentityProfile, users: dict[str, User]
) -> None:
    url = f"/xueshi/identity/staff/{complete_profile.user_id}/reveal/"
    for who in ("supervisor", "staff"):
        response = _client(users[who]).post(url, {"field": "id_number", "purpose": "想看"})
        assert response.status_code == 403 and profile_data()["id_number"] not in response.content.decode()
    bad = _client(users["auditor"]).post(url, {"field": "password", "purpose": ""})
    assert bad.status_code == 400
    assert PersonalDataView.objects.count() == 0


def test_masked_export_never_carries_full_values(
    complete_profile: IdentityProfile, users: dict[str, User]
) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    response = _client(users["auditor"]).get("/xueshi/identity/staff/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert complete_profile.id_number_masked in cells and "139****5678" in cells and "林**" in cells, cells
    assert not any(profile_data()["id_number"] in c or "13912345678" in c or "林小明" in c for c in cells)


def test_rotation_reencrypts_profiles_and_they_still_decrypt(complete_profile: IdentityProfile) -> None:
    from django.conf import settings

    old_keys = list(settings.XUESHI_DATA_KEYS)
    with override_settings(XUESHI_DATA_KEYS=["a-brand-new-key-for-rotation-123", *old_keys]):
        out = StringIO()
        call_command("xueshi_rotate_data_keys", stdout=out)
        assert "xueshi_identity.IdentityProfile.id_number: rotated 1" in out.getvalue()
        new_id = crypto.current_key_id()
        assert _raw_columns(complete_profile.user_id)[0].split(".")[1] == new_id
    with override_settings(XUESHI_DATA_KEYS=["a-brand-new-key-for-rotation-123"]):
        profile = IdentityProfile.objects.get(pk=complete_profile.pk)
        assert profile.id_number.reveal() == profile_data()["id_number"]
        # Lookups survive a data-key rotation: the hash key is separate.
        assert api.find_user_by_id_number("resident_id", profile_data()["id_number"]) == profile.user_id
