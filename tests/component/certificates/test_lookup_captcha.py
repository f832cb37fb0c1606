"""The image captcha in front of the public look-up by name and ID number (ADR 0182)."""

from __future__ import annotations

import io
import re

import pytest
from captcha.models import CaptchaStore
from django.test import Client
from PIL import Image

from xueshi_certificates.issuing import issue_for_account
from xueshi_core.models import PersonalDataView

from .conftest import ID_NUMBER, make_account, solved_captcha

PERSON = "/xueshi/certificates/verify/person/"
FORM = {"real_name": "陈静怡", "id_number": ID_NUMBER, "id_type": "resident_id"}


@pytest.fixture
def cert(learner):
    return issue_for_account(make_account(learner.pk)).certificate


def test_the_verify_page_shows_a_captcha_picture_that_is_a_real_image(db):
    page = Client().get("/xueshi/certificates/verify/").content.decode()
    key = re.search(r'name="captcha_0" value="(\w+)"', page).group(1)
    assert f'src="/xueshi/certificates/verify/captcha/{key}/"' in page
    image = Client().get(f"/xueshi/certificates/verify/captcha/{key}/")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(image.content)).size[0] > 40


def test_a_wrong_missing_or_replayed_answer_finds_nobody_and_is_not_audited(cert, learner):
    client = Client()
    wrong = {**solved_captcha(), "captcha_1": "zzzz"}
    for answer in (wrong, {}, {"captcha_0": "nokey", "captcha_1": "abcd"}):
        response = client.post(PERSON, {**FORM, **answer})
        assert response.status_code == 400 and cert.serial not in response.content.decode()
        assert 'name="captcha_0"' in response.content.decode()  # a new picture to try
    assert not PersonalDataView.objects.filter(subject_user_id=learner.pk).exists()
    solved = solved_captcha()
    assert client.post(PERSON, {**FORM, **solved}).status_code == 200
    assert client.post(PERSON, {**FORM, **solved}).status_code == 400  # each answer works once
    assert PersonalDataView.objects.filter(subject_user_id=learner.pk).count() == 1
    assert not CaptchaStore.objects.filter(hashkey=solved["captcha_0"]).exists()
