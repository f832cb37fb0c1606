"""Enrolment of the registered photo: one face, stored encrypted with its digest, once; staff reset
(recorded) and full views (audited); bad uploads get a clear 4xx."""

import hashlib
import json

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, override_settings

from tests.unit.face.faces import blank, photo, side_by_side
from xueshi_core.models import PersonalDataView
from xueshi_face.models import FaceEnrolment, FaceEnrolmentEvent

from .conftest import ENROLMENT

pytestmark = [pytest.mark.component, pytest.mark.django_db]


def upload(client, data, name="me.jpg", content_type="image/jpeg"):
    return client.post(
        ENROLMENT, {"photo": SimpleUploadedFile(name, data, content_type), "consent_face": "on"}
    )


def test_enrol_stores_the_photo_encrypted_with_its_digest(http, learner):
    data = photo("person_a_enrol")
    response = upload(http, data)
    assert response.status_code == 201, response.content
    row = FaceEnrolment.objects.get(user=learner)
    assert row.image_digest == hashlib.sha256(data).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT image, template FROM xueshi_face_faceenrolment WHERE id = %s", [row.pk])
        stored_image, stored_template = cursor.fetchone()
    assert stored_image.startswith("xs1.") and ".face_image." in stored_image
    assert b"JFIF" not in stored_image.encode() and data[:64].hex() not in stored_image
    assert stored_template.startswith("xs1.") and ".face_template." in stored_template
    from xueshi_face.enrolment import photo as decrypt_photo

    assert decrypt_photo(row) == data
    assert http.get(ENROLMENT).json()["enrolled"] is True
    assert FaceEnrolmentEvent.objects.filter(user=learner, action="enrolled").count() == 1


def test_a_second_enrolment_is_refused_until_staff_reset_it(http, learner, db, django_user_model):
    assert upload(http, photo("person_a_enrol")).status_code == 201
    again = upload(http, photo("person_b"))
    assert again.status_code == 409 and again.json()["error"] == "already_enrolled"
    staff = django_user_model.objects.create_user("trainer", password="pw")
    staff.groups.add(Group.objects.get_or_create(name="xueshi_operator")[0])  # MANAGE_FACE
    reset_url = f"/xueshi/face/api/v1/staff/users/{learner.id}/reset"
    assert (
        http.post(reset_url, json.dumps({"reason": "x"}), content_type="application/json").status_code == 403
    )
    staff_client = Client()
    staff_client.force_login(staff)
    no_reason = staff_client.post(reset_url, json.dumps({}), content_type="application/json")
    assert no_reason.status_code == 400 and no_reason.json()["error"] == "reason_required"
    bad_json = staff_client.post(reset_url, b"{not json", content_type="application/json")
    assert bad_json.status_code == 400
    done = staff_client.post(
        reset_url, json.dumps({"reason": "新照片：发型变化"}), content_type="application/json"
    )
    assert done.status_code == 200
    event = FaceEnrolmentEvent.objects.get(user=learner, action="reset")
    assert event.actor == staff and event.reason == "新照片：发型变化"
    assert event.image_digest == hashlib.sha256(photo("person_a_enrol")).hexdigest()
    assert upload(http, photo("person_a_probe")).status_code == 201


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        (side_by_side("person_a_probe", "person_b"), 422, "several_faces"),
        (blank(), 422, "no_face"),
        (b"%PDF-1.4 not an image at all", 400, "not_image"),
        (b"", 400, "empty"),
        (blank(fmt="GIF"), 415, "format"),
        (blank(size=(20, 20)), 400, "dimensions"),
        (photo("person_a_enrol")[:2000], 400, "not_image"),  # a truncated JPEG
    ],
)
def test_bad_photos_get_a_clear_refusal(http, learner, data, status, code):
    response = upload(http, data)
    assert response.status_code == status, response.content
    assert response.json()["error"] == code and response.json()["message"]
    assert not FaceEnrolment.objects.filter(user=learner).exists()


def test_oversized_and_non_multipart_uploads_are_refused_before_parsing(http):
    with override_settings(XUESHI_FACE_MAX_IMAGE_BYTES=50_000):
        big = upload(http, b"\xff\xd8" + b"0" * 400_000)
        assert big.status_code == 413 and big.json()["error"] == "too_large"
        single = upload(http, photo("person_c"))  # 47 kB: under the limit
        assert single.status_code == 201  # a real photo under the limit is accepted
    as_json = http.post(ENROLMENT, json.dumps({"photo": "x"}), content_type="application/json")
    assert as_json.status_code == 415
    broken = http.post(ENROLMENT, b"--x\r\nbroken", content_type="multipart/form-data; boundary=x")
    assert broken.status_code == 400


def test_signed_out_visitors_get_401(db):
    assert Client().get(ENROLMENT).status_code == 401
    assert Client().get("/xueshi/face/enrol/").status_code == 302  # the page sends them to sign in


def test_full_view_of_the_photo_needs_the_role_and_a_purpose_and_is_audited(
    http, learner, enrolled, django_user_model
):
    url = f"/xueshi/face/api/v1/staff/users/{learner.id}/photo"
    staff = django_user_model.objects.create_user("staff", password="pw", is_staff=True)
    client = Client()
    client.force_login(staff)
    assert client.post(url, {"purpose": "核对"}).status_code == 403  # staff status alone is not enough
    from xueshi_core.roles import full_view_groups

    staff.groups.add(Group.objects.get_or_create(name=full_view_groups()[0])[0])
    assert client.post(url).status_code == 400  # no purpose
    assert PersonalDataView.objects.count() == 0
    response = client.post(url, {"purpose": "学员申诉核对照片"})
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response.content == photo("person_a_enrol") and response["Cache-Control"] == "no-store"
    view = PersonalDataView.objects.get()
    assert (view.actor_id, view.subject_user_id, view.field, view.purpose) == (
        staff.id,
        learner.id,
        "face_image",
        "学员申诉核对照片",
    )
