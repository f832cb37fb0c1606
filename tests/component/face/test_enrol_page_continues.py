"""Once the photo is registered, the enrolment page leads on: to ``next``, else to the courses."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.unit.face.faces import photo

from .conftest import ENROLMENT, consent_to_face

pytestmark = [pytest.mark.component, pytest.mark.django_db]


def test_the_enrolled_page_continues_to_next_or_home(http, learner):
    consent_to_face(learner)
    sent = http.post(
        ENROLMENT, {"photo": SimpleUploadedFile("me.jpg", photo("person_a_enrol"), "image/jpeg")}
    )
    assert sent.status_code == 201
    page = http.get("/xueshi/face/enrol/").content.decode()
    assert 'id="xf-enrolled"' in page and 'id="xf-continue" href="/"' in page
    onward = http.get("/xueshi/face/enrol/", {"next": "/courses/course-v1:X+Y+Z/"}).content.decode()
    assert 'id="xf-continue" href="/courses/course-v1:X+Y+Z/"' in onward
