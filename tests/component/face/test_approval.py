"""A learner's own photo is pending until a reviewer approves it (POST, manage_face, recorded) or it
matches an official photo an operator imported; a pending photo satisfies no check."""

import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client, override_settings

from tests.unit.face.faces import photo
from xueshi_core.models import PersonalDataView
from xueshi_face import tokens
from xueshi_face.data import CheckContext
from xueshi_face.models import FaceCheck, FaceEnrolment, FaceEnrolmentEvent
from xueshi_studytime import api as ledger

from .conftest import COURSE, ENROLMENT, USAGE, answer_check, consent_to_face, reviewer_user

pytestmark = [pytest.mark.component, pytest.mark.django_db]


def register(client, name="person_a_enrol"):
    upload = SimpleUploadedFile("me.jpg", photo(name), "image/jpeg")
    return client.post(ENROLMENT, {"photo": upload, "consent_face": "on"})


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def review(client, user_id, decision, reason=""):
    body = json.dumps({"decision": decision, "reason": reason})
    return client.post(
        f"/xueshi/face/api/v1/staff/users/{user_id}/enrolment/review", body, content_type="application/json"
    )


def test_a_pending_photo_satisfies_no_check_until_a_reviewer_approves_it(http, learner, django_user_model):
    created = register(http)
    assert created.status_code == 201 and created.json()["status"] == "pending"
    ledger.place_hold(learner.id, "face_check", url="/x")
    refused = answer_check(http)
    assert refused.status_code == 409 and refused.json()["error"] == "enrolment_pending"
    assert FaceCheck.objects.count() == 0 and [h.kind for h in ledger.active_holds(learner.id)] == [
        "face_check"
    ]
    assert b'id="xf-waiting"' in http.get("/xueshi/face/check/").content
    plain_staff = signed_in(
        django_user_model.objects.create_user("plain-staff", password="pw", is_staff=True)
    )
    assert review(plain_staff, learner.id, "approve").status_code == 403  # staff status alone is not enough
    superuser = signed_in(django_user_model.objects.create_superuser("root-face", password="pw"))
    assert review(superuser, learner.id, "approve").status_code == 403  # nor is a superuser (三员分立)
    assert plain_staff.get("/xueshi/face/staff/enrolments/").status_code == 403
    assert review(http, learner.id, "approve").status_code == 403  # nor may learners approve themselves
    reviewer = signed_in(reviewer_user())
    assert reviewer.get(f"/xueshi/face/api/v1/staff/users/{learner.id}/enrolment/review").status_code == 405
    queue = reviewer.get("/xueshi/face/staff/enrolments/")
    assert (
        queue.status_code == 200 and f"/xueshi/face/staff/enrolments/{learner.id}/".encode() in queue.content
    )
    done = reviewer.post(
        f"/xueshi/face/staff/enrolments/{learner.id}/", {"action": "approve", "reason": "身份证核对一致"}
    )
    assert done.status_code == 302 and done["Location"] == "/xueshi/face/staff/enrolments/"
    event = FaceEnrolmentEvent.objects.get(user=learner, action="approved")
    assert event.actor.username == "face-reviewer" and event.reason == "身份证核对一致"
    row = FaceEnrolment.objects.get(user=learner)
    assert (row.status, row.reviewed_by.username) == ("approved", "face-reviewer") and row.reviewed_at
    assert review(reviewer, learner.id, "reject", "late").status_code == 409  # decided once, not twice
    passed = answer_check(http, tokens.make(learner.id, CheckContext("study", COURSE, USAGE))).json()
    assert passed["passed"] is True and passed["hold_released"] is True


def test_a_rejection_needs_a_reason_and_the_learner_registers_again(http, learner):
    register(http)
    reviewer = signed_in(reviewer_user())
    no_reason = review(reviewer, learner.id, "reject")
    assert no_reason.status_code == 400 and no_reason.json()["error"] == "reason_required"
    assert review(reviewer, learner.id, "reject", "照片不是本人").json()["status"] == "rejected"
    refused = answer_check(http)
    assert refused.status_code == 409 and refused.json()["error"] == "enrolment_rejected"
    assert refused.json()["reason"] == "照片不是本人"
    assert "照片不是本人" in http.get("/xueshi/face/enrol/").content.decode()
    again = register(http, "person_a_probe")
    assert again.status_code == 201 and again.json()["status"] == "pending"
    actions = list(
        FaceEnrolmentEvent.objects.filter(user=learner).order_by("id").values_list("action", flat=True)
    )
    assert actions == ["enrolled", "rejected", "enrolled"]


def test_in_record_mode_a_check_against_a_pending_photo_is_kept_but_fails(http, learner):
    register(http)
    ledger.place_hold(learner.id, "face_check", url="/x")
    with override_settings(XUESHI_FACE_PENDING_ENROLMENT="record"):
        result = answer_check(http).json()
    assert result["passed"] is False and result["reason"] == "enrolment_pending"
    assert result["score"] >= 40.0  # the face matched the photo: the photo itself is unproven
    assert FaceCheck.objects.get().reason == "enrolment_pending"
    assert [h.kind for h in ledger.active_holds(learner.id)] == ["face_check"]


def test_an_imported_official_photo_matches_the_registered_one(http, learner, other_learner, tmp_path):
    operator = reviewer_user("face-operator")
    register(http)
    other = signed_in(other_learner)
    register(other, "person_b")  # someone else's face on this account
    (tmp_path / f"{learner.username}.jpg").write_bytes(photo("person_a_probe"))
    (tmp_path / f"{other_learner.username}.jpg").write_bytes(photo("person_a_turned"))
    out = StringIO()
    call_command(
        "xueshi_face_import_official_photos",
        str(tmp_path),
        actor=operator.username,
        source="人社厅",
        stdout=out,
    )
    assert f"{learner.username}.jpg: imported; registered photo: matched" in out.getvalue()
    assert f"{other_learner.username}.jpg: imported; registered photo: pending" in out.getvalue()
    matched = FaceEnrolment.objects.get(user=learner)
    assert matched.match_score >= 40.0 and matched.reviewed_by is None
    assert FaceEnrolmentEvent.objects.filter(user=other_learner, action="unmatched").exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT image FROM xueshi_face_officialphoto WHERE user_id = %s", [learner.id])
        assert ".face_official_photo." in cursor.fetchone()[0]
    assert answer_check(http).json()["passed"] is True
    (tmp_path / "nobody-here.jpg").write_bytes(photo("person_c"))
    with pytest.raises(CommandError, match="1 file"):
        call_command(
            "xueshi_face_import_official_photos",
            str(tmp_path / "nobody-here.jpg"),
            actor=operator.username,
            stdout=StringIO(),
            stderr=StringIO(),
        )


def test_a_photo_registered_after_the_official_one_is_matched_at_once(learner, tmp_path):
    from xueshi_face import approval, enrolment

    approval.import_official(learner, photo("person_a_probe"), actor=reviewer_user(), source="ID register")
    consent_to_face(learner)
    assert enrolment.enrol(learner, photo("person_a_enrol")).status == "matched"


def test_the_review_page_shows_the_photo_only_on_an_audited_post(learner, enrolled):
    FaceEnrolment.objects.filter(user=learner).update(status="pending")
    url = f"/xueshi/face/staff/enrolments/{learner.id}/"
    with override_settings(XUESHI_PERSONAL_DATA_FULL_VIEW_GROUPS=["xueshi_auditor"]):
        client = signed_in(reviewer_user())  # reviews (manage_face) but has no full view of images
        assert b"data:image" not in client.get(url).content
        no_role = client.post(url, {"action": "show", "purpose": "核对"})
        assert no_role.status_code == 400 and b"data:image" not in no_role.content
    client = signed_in(reviewer_user())  # operators hold view_face_images by default
    assert b"data:image" not in client.post(url, {"action": "show"}).content  # a purpose is required
    assert PersonalDataView.objects.count() == 0
    shown = client.post(url, {"action": "show", "purpose": "审核登记照片"})
    assert shown.status_code == 200 and b'id="xf-review-photo" src="data:image/jpeg;base64,' in shown.content
    view = PersonalDataView.objects.get()
    assert (view.subject_user_id, view.field, view.purpose) == (learner.id, "face_image", "审核登记照片")
