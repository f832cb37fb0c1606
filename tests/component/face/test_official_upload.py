"""Operators upload official photos on a page (one photo or a zip named by username or ID number):
manage_face, the uploader's scope, POST with CSRF, encrypted storage and an event naming the uploader."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from tests.unit.face.faces import photo
from xueshi_face.models import FaceEnrolment, FaceEnrolmentEvent, OfficialPhoto

from ..permkit import account, full_id_number, learner_in, signed_in, with_csrf_cookie
from .test_approval import register

pytestmark = [pytest.mark.component, pytest.mark.django_db]
PAGE = "/xueshi/face/staff/official-photos/"


def _zip(files: dict[str, bytes]) -> SimpleUploadedFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return SimpleUploadedFile("photos.zip", out.getvalue(), "application/zip")


def test_a_zip_imports_photos_named_by_username_or_id_number(http, learner):
    register(http)  # the learner's own photo: pending until it matches
    fuzhou = learner_in("face-fz", ("350000", "350100", "350102"), "福州会计所", 990)
    operator = account("face-op", "xueshi_operator")
    files = {
        f"{learner.username}.jpg": photo("person_a_probe"),
        f"photos/{full_id_number(fuzhou)}.jpg": photo("person_b"),
        "nobody-here.jpg": photo("person_c"),
        "readme.txt": b"not a photo",
    }
    client = signed_in(operator, csrf=True)
    token = with_csrf_cookie(client)
    assert client.post(PAGE, {"file": _zip(files)}).status_code == 403  # no CSRF token
    reply = client.post(PAGE, {"file": _zip(files), "source": "人社厅", "csrfmiddlewaretoken": token})
    assert reply.status_code == 400  # two of four refused, each with its reason
    results = {r.name: r for r in reply.context["results"]}
    assert results[f"{learner.username}.jpg"].imported and results[f"{full_id_number(fuzhou)}.jpg"].imported
    assert not results["nobody-here.jpg"].imported and not results["readme.txt"].imported
    assert FaceEnrolment.objects.get(user=learner).status == "matched"
    assert set(OfficialPhoto.objects.values_list("user_id", flat=True)) == {learner.id, fuzhou.user_id}
    events = FaceEnrolmentEvent.objects.filter(action="official", actor=operator)
    assert {e.user_id for e in events} == {learner.id, fuzhou.user_id} and {e.reason for e in events} == {
        "人社厅"
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT image FROM xueshi_face_officialphoto WHERE user_id = %s", [fuzhou.user_id])
        assert ".face_official_photo." in cursor.fetchone()[0]  # the encrypted field, as the command stores


def test_the_uploaders_scope_and_role_decide(db):
    fuzhou = learner_in("face-fz2", ("350000", "350100", "350102"), "福州会计所", 991)
    upload = SimpleUploadedFile(f"{fuzhou.user.username}.jpg", photo("person_b"), "image/jpeg")
    beijing_op = signed_in(account("bj-op", "xueshi_operator", regions="110000"))
    reply = beijing_op.post(PAGE, {"file": upload})
    assert reply.status_code == 400 and not reply.context["results"][0].imported
    assert not OfficialPhoto.objects.exists()
    for who in (account("aud", "xueshi_auditor"), account("sup", "xueshi_supervisor_city", regions="350100")):
        assert signed_in(who).get(PAGE).status_code == 403
    operator = signed_in(account("op", "xueshi_operator"))
    assert operator.get(PAGE).status_code == 200
    bad = operator.post(PAGE, {"file": SimpleUploadedFile("x.zip", b"PK\x03\x04broken")})
    assert bad.status_code == 400 and bad.context["problem"]
    assert operator.post(PAGE, {}).status_code == 400
