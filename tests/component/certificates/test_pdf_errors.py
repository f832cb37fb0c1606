"""A broken operator template (``PdfTemplateError``) at download: a 503 page with the reason for staff."""

from __future__ import annotations

import pytest
from django.test import Client

from xueshi_certificates.issuing import issue_for_account

from .conftest import make_account


@pytest.fixture
def broken_template(settings, tmp_path):
    settings.XUESHI_CERTIFICATES_PDF_TEMPLATE = {"seal": str(tmp_path / "missing-seal.png")}
    return tmp_path / "missing-seal.png"


def test_a_broken_template_answers_503_and_names_the_file_to_staff_only(learner, operator, broken_template):
    cert = issue_for_account(make_account(learner.pk)).certificate
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-cn")
    client.force_login(learner)
    mine = client.get(f"/xueshi/certificates/mine/{cert.serial}.pdf")
    text = mine.content.decode()
    assert mine.status_code == 503 and 'id="pdf-unavailable"' in text and "证书本身有效" in text
    assert 'id="pdf-template-error"' not in text and str(broken_template) not in text
    client.force_login(operator)
    staff = client.get(f"/xueshi/certificates/mine/{cert.serial}.pdf")
    text = staff.content.decode()
    assert staff.status_code == 503 and 'id="pdf-template-error"' in text
    assert "image_not_found" in text and str(broken_template) in text
