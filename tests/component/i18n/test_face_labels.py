"""The photo review pages show labelled status, source and history, not ``pending`` / ``upload``."""

from __future__ import annotations

import pytest

from tests.component.face.conftest import consent_to_face
from tests.component.permkit import account, learner_in, signed_in
from tests.unit.face.faces import photo
from xueshi_face import enrolment

pytestmark = pytest.mark.django_db

QUEUE = "/xueshi/face/staff/enrolments/"
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-cn"}


def test_review_pages_show_labels_not_codes() -> None:
    learner = learner_in("i18n-face", ("110000", "", "110101"), "北京东城会计所", 973).user
    consent_to_face(learner)
    enrolment.enrol(learner, photo("person_a_enrol"))
    operator = signed_in(account("i18n-face-op", "xueshi_operator"))

    queue = operator.get(QUEUE, **ZH).content.decode()
    assert "<td>上传的照片</td>" in queue and "<td>upload</td>" not in queue

    page = operator.get(f"{QUEUE}{learner.id}/", **ZH).content.decode()
    assert '<strong id="xf-review-status">待审核</strong>' in page
    assert "已登记照片" in page  # the history's "enrolled" action
    assert " · upload · " not in page and " · enrolled" not in page
