"""Face staff endpoints under the one permission model: images only by POST with CSRF, roles, scopes."""

from __future__ import annotations

import json

import pytest

from xueshi_core.models import PersonalDataView
from xueshi_face.models import FaceEnrolment

from ..permkit import account, learner_in, signed_in, with_csrf_cookie
from .conftest import consent_to_face

pytestmark = [pytest.mark.component, pytest.mark.django_db]


def _photo_url(user_id: int) -> str:
    return f"/xueshi/face/api/v1/staff/users/{user_id}/photo"


def test_a_photo_is_shown_only_on_post_with_csrf_and_audited_once(learner, enrolled):
    client = signed_in(account("aud", "xueshi_auditor"), csrf=True)
    url = _photo_url(learner.id)
    assert client.get(url, {"purpose": "核对"}).status_code == 405  # a cross-site <img> writes nothing
    assert client.get(f"/xueshi/face/api/v1/staff/checks/{enrolled.pk}/frame?purpose=x").status_code == 405
    token = with_csrf_cookie(client)
    assert client.post(url, {"purpose": "核对"}).status_code == 403  # no token: a cross-site form
    assert PersonalDataView.objects.count() == 0
    shown = client.post(url, {"purpose": "学员申诉核对照片"}, HTTP_X_CSRFTOKEN=token)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    assert list(PersonalDataView.objects.values_list("actor_username", "field", "subject_user_id")) == [
        ("aud", "face_image", learner.id)
    ]


def test_images_and_checks_of_a_learner_outside_the_scope_are_404(db):
    from tests.unit.face.faces import photo
    from xueshi_face import enrolment

    beijing = learner_in("bj-face", ("110000", "", "110101"), "北京东城会计所", 983)
    consent_to_face(beijing.user)
    enrolment.enrol(beijing.user, photo("person_a_enrol"))
    nanjing_operator = signed_in(account("nj-op", "xueshi_operator", regions="320100"))
    base = f"/xueshi/face/api/v1/staff/users/{beijing.user_id}"
    assert nanjing_operator.post(_photo_url(beijing.user_id), {"purpose": "核对"}).status_code == 404
    assert nanjing_operator.get(f"{base}/checks").status_code == 404
    reset = nanjing_operator.post(
        f"{base}/reset", json.dumps({"reason": "x"}), content_type="application/json"
    )
    assert reset.status_code == 404 and FaceEnrolment.objects.filter(user_id=beijing.user_id).exists()
    assert PersonalDataView.objects.count() == 0
    national = signed_in(account("op", "xueshi_operator"))
    assert national.get(f"{base}/checks").status_code == 200


def test_auditor_cannot_reset_and_supervisors_see_no_face_data(learner, enrolled):
    body = json.dumps({"reason": "审计员不能重置"})
    reset = f"/xueshi/face/api/v1/staff/users/{learner.id}/reset"
    auditor = signed_in(account("aud", "xueshi_auditor"))
    assert auditor.post(reset, body, content_type="application/json").status_code == 403
    assert FaceEnrolment.objects.filter(user=learner).exists()
    supervisor = signed_in(account("sup", "xueshi_supervisor_city", regions="320100"))
    assert supervisor.get(f"/xueshi/face/api/v1/staff/users/{learner.id}/checks").status_code == 403
    assert supervisor.post(_photo_url(learner.id), {"purpose": "x"}).status_code == 403
    staff_only = signed_in(account("admin", is_staff=True, is_superuser=True))
    assert staff_only.post(reset, body, content_type="application/json").status_code == 403
    assert signed_in(learner).get(f"/xueshi/face/api/v1/staff/users/{learner.id}/checks").status_code == 403
