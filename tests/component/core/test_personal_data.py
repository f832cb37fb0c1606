"""C3 against MariaDB: encrypted columns hold ciphertext, rotation re-encrypts rows, views are audited."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.test import RequestFactory, override_settings

from xueshi_core import audit, crypto
from xueshi_core.fields import EncryptedBinaryField, EncryptedTextField, Sealed, SealedText
from xueshi_core.models import AccountScope, PersonalDataView
from xueshi_core.rotation import rotate_column
from xueshi_identity.models import IdentityProfile

OLD = "component-old-data-key-0123456789"
NEW = "component-new-data-key-9876543210"


class SealedSample(models.Model):
    """A throwaway table with both encrypted field kinds (created and dropped by the fixture)."""

    phone = EncryptedTextField(purpose="phone", null=True)
    photo = EncryptedBinaryField(purpose="face_image", null=True)

    class Meta:
        app_label = "xueshi_core"

    def __str__(self) -> str:
        return f"sample {self.pk}"


# Defining the class registered it; keep it out of the registry (so key rotation elsewhere does not
# look for its table) except while a test that created the table runs.
apps.all_models["xueshi_core"].pop("sealedsample", None)
apps.clear_cache()


@pytest.fixture
def sample_table(transactional_db: None) -> Iterator[type[SealedSample]]:
    """Register the throwaway model and create its table; undo both afterwards.

    Registration is per test (not per module): pytest-django runs transactional tests after the
    others, so a module-scoped fixture would be torn down between this module's two groups.
    """
    models_of_core = apps.all_models["xueshi_core"]
    models_of_core["sealedsample"] = SealedSample
    apps.clear_cache()
    with connection.schema_editor() as editor:
        editor.create_model(SealedSample)
    try:
        with override_settings(XUESHI_DATA_KEYS=[OLD]):
            yield SealedSample
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(SealedSample)
        models_of_core.pop("sealedsample", None)
        apps.clear_cache()


def _raw(pk: int, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {SealedSample._meta.db_table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_columns_hold_ciphertext_and_rows_load_sealed(sample_table: type[SealedSample]) -> None:
    row = sample_table.objects.create(phone="13812345678", photo=b"\x89PNG fake")
    stored = _raw(row.pk, "phone")
    assert stored.startswith(f"xs1.{crypto.current_key_id()}.phone.") and "13812345678" not in stored
    assert b"PNG" not in _raw(row.pk, "photo").encode()
    loaded = sample_table.objects.get(pk=row.pk)
    assert isinstance(loaded.phone, SealedText)
    assert str(loaded.phone) == "<sealed phone>" and "1381" not in repr(loaded.phone)
    assert loaded.phone.reveal() == "13812345678" and loaded.photo.reveal() == b"\x89PNG fake"
    # Saving again keeps the token: no silent re-encryption, no double encryption.
    loaded.save()
    assert _raw(row.pk, "phone") == stored


def test_plain_lookups_are_refused(sample_table: type[SealedSample]) -> None:
    with pytest.raises(TypeError):
        list(sample_table.objects.filter(phone="13812345678"))
    assert sample_table.objects.filter(phone__isnull=True).count() == 0


def test_tampered_column_is_an_error_not_a_wrong_value(sample_table: type[SealedSample]) -> None:
    row = sample_table.objects.create(phone="13812345678")
    token = _raw(row.pk, "phone")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {SealedSample._meta.db_table} SET phone = %s WHERE id = %s",
            [token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:], row.pk],
        )
    with pytest.raises(crypto.TamperedToken):
        sample_table.objects.get(pk=row.pk).phone.reveal()


def test_rotation_command_reencrypts_every_row_and_old_key_can_go(sample_table: type[SealedSample]) -> None:
    rows = [sample_table.objects.create(phone=f"1381234{i:04d}", photo=bytes([i]) * 10) for i in range(7)]
    sample_table.objects.create(phone=None)
    with override_settings(XUESHI_DATA_KEYS=[NEW, OLD]):
        new_id = crypto.current_key_id()
        report = rotate_column(sample_table, "phone", batch_size=3, dry_run=True)
        assert report.rotated == 7 and _raw(rows[0].pk, "phone").split(".")[1] != new_id
        out = StringIO()
        call_command("xueshi_rotate_data_keys", "--batch-size", "3", stdout=out)
        assert "xueshi_core.SealedSample.phone: rotated 7" in out.getvalue()
        assert "xueshi_core.SealedSample.photo: rotated 7" in out.getvalue()
        assert all(_raw(r.pk, "phone").split(".")[1] == new_id for r in rows)
        again = StringIO()
        call_command("xueshi_rotate_data_keys", stdout=again)
        assert "SealedSample.phone: rotated 0" in again.getvalue()
    with override_settings(XUESHI_DATA_KEYS=[NEW]):
        assert [sample_table.objects.get(pk=r.pk).phone.reveal() for r in rows] == [
            f"1381234{i:04d}" for i in range(7)
        ]


def test_rotation_reports_undecryptable_rows_and_fails(sample_table: type[SealedSample]) -> None:
    good = sample_table.objects.create(phone="13812345678")
    with override_settings(XUESHI_DATA_KEYS=["a-key-that-was-lost-long-ago-0000"]):
        lost = sample_table.objects.create(phone="13900000000")
    with override_settings(XUESHI_DATA_KEYS=[NEW, OLD]):
        err = StringIO()
        with pytest.raises(CommandError, match="1 value"):
            call_command("xueshi_rotate_data_keys", stdout=StringIO(), stderr=err)
        assert f"pk={lost.pk}: UnknownKey" in err.getvalue()
        assert sample_table.objects.get(pk=good.pk).phone.key_id == crypto.current_key_id()


def test_compare_and_set_skips_a_row_changed_meanwhile(sample_table: type[SealedSample]) -> None:
    row = sample_table.objects.create(phone="13812345678")
    stale = Sealed(_raw(row.pk, "phone"))
    sample_table.objects.filter(pk=row.pk).update(phone="13999999999")
    assert sample_table.objects.filter(pk=row.pk, phone=stale).update(phone="13812345678") == 0
    assert sample_table.objects.get(pk=row.pk).phone.reveal() == "13999999999"


@pytest.fixture
def people(db: None) -> dict[str, User]:
    operator = User.objects.create_user("op1", password=None)
    operator.groups.add(Group.objects.get_or_create(name="xueshi_operator")[0])
    supervisor = User.objects.create_user("sup1", password=None)
    supervisor.groups.add(Group.objects.get_or_create(name="xueshi_supervisor_city")[0])
    staff = User.objects.create_user("staff1", password=None, is_staff=True, is_superuser=True)
    learner = User.objects.create_user("learner1", password=None)
    return {"operator": operator, "supervisor": supervisor, "staff": staff, "learner": learner}


def test_record_view_writes_who_whose_what_why_where(people: dict[str, User]) -> None:
    request = RequestFactory().get(
        "/xueshi/identity/staff/", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="UA/1"
    )
    row = audit.record_view(people["operator"], people["learner"].pk, audit.ID_NUMBER, "核对身份", request)
    row = PersonalDataView.objects.get(pk=row.pk)
    assert (row.actor_id, row.actor_username, row.subject_user_id) == (
        people["operator"].pk,
        "op1",
        people["learner"].pk,
    )
    assert (row.field, row.purpose, row.ip, row.user_agent, row.path) == (
        "id_number",
        "核对身份",
        "203.0.113.9",
        "UA/1",
        "/xueshi/identity/staff/",
    )
    with pytest.raises(ValueError):
        audit.record_view(people["operator"], people["learner"].pk, "phone", "  ")
    bad_ip = RequestFactory().get("/", REMOTE_ADDR="not-an-ip")
    assert audit.record_view(None, 1, "phone", "export job", bad_ip).ip is None


def test_audit_rows_are_append_only(people: dict[str, User]) -> None:
    row = audit.record_view(people["operator"], people["learner"].pk, "phone", "回访")
    row.purpose = "changed"
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()


@override_settings(XUESHI_DATA_KEYS=[OLD])
def test_reveal_checks_roles_then_audits(people: dict[str, User]) -> None:
    sealed = SealedText(crypto.encrypt("350102199003071234", purpose="id_number"))
    subject = people["learner"].pk
    assert audit.reveal(
        sealed, actor=people["operator"], subject_user_id=subject, field="id_number", purpose="核验"
    ) == ("350102199003071234")
    for who in ("supervisor", "staff"):
        with pytest.raises(audit.FullViewDenied):
            audit.reveal(
                sealed, actor=people[who], subject_user_id=subject, field="id_number", purpose="看看"
            )
    assert audit.reveal(
        sealed, actor=people["learner"], subject_user_id=subject, field="id_number", purpose="本人"
    )
    assert list(audit.views_of(subject).values_list("actor_username", flat=True)) == ["learner1", "op1"]
    with override_settings(XUESHI_PERSONAL_DATA_FULL_VIEW_GROUPS=["xueshi_supervisor_city"]):
        with pytest.raises(audit.FullViewDenied):  # the role allows it, the (empty) scope does not
            audit.reveal(
                sealed, actor=people["supervisor"], subject_user_id=subject, field="id_number", purpose="x"
            )
        supervisor = User.objects.get(pk=people["supervisor"].pk)  # a fresh request's user object
        AccountScope.objects.create(user=supervisor, region_codes="350100")
        IdentityProfile.objects.create(
            user=people["learner"], real_name="某人", province_code="350000", city_code="350100"
        )
        assert audit.reveal(sealed, actor=supervisor, subject_user_id=subject, field="id_number", purpose="x")
