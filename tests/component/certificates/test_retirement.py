"""Retiring a holder keeps the certificate valid for verification, with the name masked (ADR 0127)."""

from __future__ import annotations

import json
import os

from django.core.management import call_command
from django.test import Client

from xueshi_certificates.issuing import issue_for_account
from xueshi_certificates.models import Certificate
from xueshi_certificates.verification import verify_token

from .conftest import ID_NUMBER, make_account, solved_captcha


def _retire(*args: str) -> None:
    call_command("retire_user", *args, stdout=open(os.devnull, "w"))  # noqa: SIM115


def test_retirement_masks_the_name_and_keeps_the_certificate_verifiable(learner, operator):
    issued = issue_for_account(make_account(learner.pk)).certificate
    kept_copy, holder = issued.credential, dict(issued.snapshot["holder"])
    _retire(learner.username)
    _retire("--user-id", str(learner.pk))  # the platform's driver retries: nothing changes twice
    cert = Certificate.objects.get(pk=issued.pk)
    stored = json.dumps(cert.snapshot, ensure_ascii=False) + cert.credential
    assert "陈静怡" not in stored and cert.credential == ""
    assert cert.snapshot["holder"]["name"] == "陈**" and cert.snapshot["holder"]["retired"] is True
    for field in ("id_masked", "id_salt", "id_hash"):
        assert cert.snapshot["holder"][field] == holder[field]
    assert (cert.status, cert.serial, cert.snapshot["total"]) == ("issued", issued.serial, "92.5")
    page = Client().get(f"/xueshi/certificates/verify/{cert.serial}/{cert.check_code}/")
    text = page.content.decode()
    assert page.status_code == 200 and "陈**" in text and "陈静怡" not in text
    assert verify_token(kept_copy).ok  # the copy the holder gave an employer still verifies
    staff = Client()
    staff.force_login(operator)
    assert staff.get(f"/xueshi/certificates/mine/{cert.serial}.pdf").status_code == 410
    assert staff.get(f"/xueshi/certificates/mine/{cert.serial}.jwt").status_code == 410
    person = Client().post(
        "/xueshi/certificates/verify/person/",
        {"real_name": "陈静怡", "id_number": ID_NUMBER, "id_type": "resident_id", **solved_captcha()},
    )
    assert person.status_code == 404  # the name is gone: no public look-up by name any more
