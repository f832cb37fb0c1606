"""The separate consent to face processing: asked before the photo, required by the server, and its
withdrawal erases the photos and frames while checks keep holding study with a clear message."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.unit.face.faces import photo
from xueshi_core.models import ConsentRecord
from xueshi_face import approval, enrolment
from xueshi_face.consent import ConsentMissing
from xueshi_face.models import FaceCheck, FaceEnrolment, OfficialPhoto
from xueshi_studytime import api as ledger

from .conftest import ENROLMENT, answer_check, post_check, reviewer_user
from .test_checks import study_token

pytestmark = [pytest.mark.component, pytest.mark.django_db]
ENROL_PAGE = "/xueshi/face/enrol/"
WITHDRAW = "/xueshi/face/consent/withdraw/"


def _upload(http, meta=None, **fields):
    upload = SimpleUploadedFile("me.jpg", photo("person_a_enrol"))
    return http.post(ENROLMENT, {"photo": upload, **fields}, **(meta or {}))


def test_enrolment_without_the_consent_box_is_refused_and_stores_nothing(http, learner):
    page = http.get(ENROL_PAGE).content.decode()
    assert 'data-kind="face_biometric"' in page and 'id="xf-consent"' in page
    assert 'id="xf-photo" name="photo" accept="image/jpeg,image/png,image/webp" disabled' in page
    refused = _upload(http)
    assert refused.status_code == 403 and refused.json()["error"] == "consent_required"
    assert "consent" in refused.json()["message"]
    assert not FaceEnrolment.objects.exists() and not ConsentRecord.objects.exists()
    with pytest.raises(ConsentMissing):
        enrolment.enrol(learner, photo("person_a_enrol"))  # the domain function refuses as well


def test_the_ticked_box_is_recorded_with_notice_version_and_ip(http, learner):
    assert _upload(http, {"REMOTE_ADDR": "198.51.100.4"}, consent_face="on").status_code == 201
    record = ConsentRecord.objects.get(user_id=learner.pk)
    assert (record.kind, record.version, record.path) == ("face_biometric", 1, ENROLMENT)
    assert record.ip == "198.51.100.4" and record.withdrawn_at is None
    assert http.get(ENROLMENT).json()["consent"] is True
    assert 'id="xf-withdraw"' in http.get(ENROL_PAGE).content.decode()


def test_withdrawal_erases_face_data_and_checks_hold_study(http, learner):
    assert _upload(http, consent_face="on").status_code == 201
    approval.approve(learner.id, actor=reviewer_user(), reason="matches the ID card")
    approval.import_official(learner, photo("person_a_probe"), actor=reviewer_user(), source="ID register")
    token = study_token(learner)
    assert answer_check(http, token).json()["passed"] is True
    assert FaceCheck.objects.get(user=learner).image is not None
    assert http.get(WITHDRAW).status_code == 405  # a cross-site image cannot withdraw

    response = http.post(WITHDRAW)
    assert response.status_code == 302 and response["Location"] == ENROL_PAGE + "?withdrawn=1"
    assert not FaceEnrolment.objects.filter(user=learner).exists()
    assert not OfficialPhoto.objects.filter(user=learner).exists()
    check = FaceCheck.objects.get(user=learner)
    assert check.image is None and check.image_purged_at is not None and check.decision == "passed"
    assert ConsentRecord.objects.get(user_id=learner.pk).withdrawn_at is not None

    ledger.place_hold(learner.id, "face_check", url="/x")
    held = post_check(http, ["person_a_probe", "person_a_turned"], token)
    assert held.status_code == 403 and held.json()["error"] == "consent_required"
    assert held.json()["enrol_url"] == ENROL_PAGE
    assert [h.kind for h in ledger.active_holds(learner.id)] == ["face_check"]
    page = http.get("/xueshi/face/check/", {"t": token}).content.decode()
    assert 'id="xf-consent-required"' in page and "check.js" not in page
    assert "xf-withdrawn" in http.get(ENROL_PAGE + "?withdrawn=1").content.decode()


def test_a_photo_registered_before_consent_was_asked_is_kept_until_the_learner_consents(http, learner):
    from .conftest import consent_to_face

    consent_to_face(learner)
    enrolment.enrol(learner, photo("person_a_enrol"))
    ConsentRecord.objects.all().delete()  # as for a learner enrolled before this release
    page = http.get(ENROL_PAGE).content.decode()
    assert 'id="xf-enrolled"' in page and 'id="xf-consent-form"' in page
    assert http.post("/xueshi/face/consent/").status_code == 302  # the box unticked: nothing
    assert not ConsentRecord.objects.exists()
    http.post("/xueshi/face/consent/", {"consent_face": "on"})
    assert ConsentRecord.objects.get(user_id=learner.pk).kind == "face_biometric"
    assert 'id="xf-consent-form"' not in http.get(ENROL_PAGE).content.decode()
