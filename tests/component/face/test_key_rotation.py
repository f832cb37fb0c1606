"""Key rotation covers face photos, templates and check frames: after the documented rotation (new key
first, rotate, drop the old key) face checks still pass; the migration turned hand-made tokens into
encrypted fields; and no column of any installed model holds ciphertext outside the encrypted fields."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings

from tests.unit.face.faces import photo
from xueshi_core import crypto
from xueshi_core.fields import encrypted_fields
from xueshi_face import checks, enrolment
from xueshi_face.models import FaceCheck, FaceEnrolment

from .conftest import enrol_approved, post_check

pytestmark = [pytest.mark.component]
OLD = "face-rotation-old-data-key-0123456789"
NEW = "face-rotation-new-data-key-9876543210"
FACE_COLUMNS = {
    ("xueshi_face.FaceEnrolment", "image"),
    ("xueshi_face.FaceEnrolment", "template"),
    ("xueshi_face.FaceCheck", "image"),
}


def _rotate() -> str:
    out = StringIO()
    call_command("xueshi_rotate_data_keys", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_rotate_drop_the_old_key_and_a_face_check_still_passes(http, learner):
    with override_settings(XUESHI_DATA_KEYS=[OLD], XUESHI_FACE_LIVENESS="off"):
        enrol_approved(learner)
        assert post_check(http, ["person_a_probe"]).json()["passed"] is True
        old_id = crypto.current_key_id()
    with override_settings(XUESHI_DATA_KEYS=[NEW, OLD]):
        report = _rotate()
        new_id = crypto.current_key_id()
    for label, name in FACE_COLUMNS:
        assert f"{label}.{name}: rotated 1, skipped 0, failed 0" in report
    with override_settings(XUESHI_DATA_KEYS=[NEW], XUESHI_FACE_LIVENESS="off"):
        row = FaceEnrolment.objects.get(user=learner)
        assert (row.image.key_id, row.template.key_id) == (new_id, new_id) != (old_id, old_id)
        response = post_check(http, ["person_a_probe"])
        assert response.status_code == 200 and response.json()["passed"] is True
        first, second = FaceCheck.objects.order_by("id")
        assert checks.frame(first) == photo("person_a_probe") == checks.frame(second)
        assert enrolment.photo(row) == photo("person_a_enrol")


@pytest.mark.django_db
def test_every_column_holding_ciphertext_is_an_encrypted_field_that_rotation_visits(http, learner):
    """Scan every text-like column of every installed model for tokens after face data was written."""
    with override_settings(XUESHI_FACE_LIVENESS="off"):
        enrol_approved(learner)
        post_check(http, ["person_a_probe"])
    covered = {(model._meta.label, field.name) for model, field in encrypted_fields()}
    assert covered >= FACE_COLUMNS
    holding_tokens = set()
    quote = connection.ops.quote_name
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if field.get_internal_type() not in ("CharField", "TextField"):
                continue
            sql = f"SELECT 1 FROM {quote(model._meta.db_table)} WHERE {quote(field.column)} LIKE %s LIMIT 1"
            with connection.cursor() as cursor:
                cursor.execute(sql, [f"{crypto.VERSION}.%"])
                if cursor.fetchone():
                    holding_tokens.add((model._meta.label, field.name))
    assert holding_tokens >= FACE_COLUMNS
    assert holding_tokens <= covered, f"ciphertext outside encrypted fields: {holding_tokens - covered}"


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_the_migration_converts_hand_encrypted_rows(django_user_model):
    user = django_user_model.objects.create_user("face-migrated", password="pw")
    leaf = [key for key in MigrationExecutor(connection).loader.graph.leaf_nodes() if key[0] == "xueshi_face"]
    old_apps = _migrate([("xueshi_face", "0001_initial")])
    try:
        token = crypto.encrypt(photo("person_a_enrol"), purpose="face_image")
        old_enrolment = old_apps.get_model("xueshi_face", "FaceEnrolment")
        old_check = old_apps.get_model("xueshi_face", "FaceCheck")
        old_enrolment.objects.create(
            user_id=user.id, image=token, template="", image_digest="d", enrolled_at="2026-11-30T08:00:00Z"
        )
        common = {"user_id": user.id, "checked_at": "2026-11-30T08:00:00Z", "context": "manual"}
        common |= {"engine": "local", "threshold": 40, "decision": "passed", "liveness": "skipped"}
        purged = old_check.objects.create(image="", image_digest="p", **common)
        kept = old_check.objects.create(
            image=crypto.encrypt(b"frame", purpose="face_check_frame"), image_digest="k", **common
        )
    finally:
        _migrate(leaf)
    row = FaceEnrolment.objects.get(user=user)
    assert row.image.token == token and row.image.reveal() == photo("person_a_enrol")
    assert row.template is None and enrolment.template(row) == b""
    assert FaceCheck.objects.get(pk=purged.pk).image is None
    assert checks.frame(FaceCheck.objects.get(pk=kept.pk)) == b"frame"
