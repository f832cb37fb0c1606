"""Look-up by name + ID (throttled in Redis, masked, audited), the learner's page, staff pages, batches."""

from __future__ import annotations

import pytest
from django.test import Client

from xueshi_certificates import batches
from xueshi_certificates.issuing import issue_for_account
from xueshi_certificates.models import Certificate, IssueBatch
from xueshi_core.models import PersonalDataView
from xueshi_identity.testing import make_resident_id

from .conftest import ID_NUMBER, make_account, make_learner, solved_captcha

PERSON = "/xueshi/certificates/verify/person/"


@pytest.fixture
def cert(learner):
    return issue_for_account(make_account(learner.pk)).certificate


def _ask(client, name="陈静怡", number=ID_NUMBER, ip="203.0.113.7"):
    return client.post(
        PERSON,
        {"real_name": name, "id_number": number, "id_type": "resident_id", **solved_captcha()},
        REMOTE_ADDR=ip,
    )


def test_lookup_by_name_and_id_shows_masked_facts_and_is_audited(cert, learner):
    response = _ask(Client())
    text = response.content.decode()
    assert response.status_code == 200 and cert.serial in text and "陈**" in text
    assert "陈静怡" not in text and ID_NUMBER not in text
    view = PersonalDataView.objects.get(subject_user_id=learner.pk)
    assert view.field == "certificate_lookup" and view.ip == "203.0.113.7" and view.actor_id is None


@pytest.mark.parametrize(
    ("name", "number"),
    [("陈静", ID_NUMBER), ("陈静怡", make_resident_id("350102", "19880512", 997)), ("", ID_NUMBER)],
)
def test_a_wrong_name_or_number_finds_nothing(cert, name, number):
    response = _ask(Client(), name, number)
    assert response.status_code in (400, 404) and cert.serial not in response.content.decode()
    assert 'id="person-error"' in response.content.decode()
    assert not PersonalDataView.objects.exists()


def test_lookups_are_throttled_per_ip_and_per_id_number(cert, settings):
    settings.XUESHI_CERTIFICATES_LOOKUP_PER_IP = 3
    settings.XUESHI_CERTIFICATES_LOOKUP_PER_ID = 4
    client = Client()
    assert [_ask(client, number="1" * 18).status_code for _ in range(4)] == [404, 404, 404, 429]
    assert _ask(client).status_code == 429  # the same address, even with the right answer
    codes = [_ask(client, ip=f"198.51.100.{n}").status_code for n in range(1, 6)]
    assert codes == [200, 200, 200, 200, 429]  # one ID number from many addresses


def test_learner_sees_downloads_and_copies_their_certificate(cert, learner):
    client = Client()
    client.force_login(learner)
    page = client.get("/xueshi/certificates/").content.decode()
    assert cert.serial in page and cert.check_code in page and cert.credential in page
    assert f"/xueshi/certificates/verify/{cert.serial}/{cert.check_code}/" in page
    credential = client.get(f"/xueshi/certificates/mine/{cert.serial}.jwt")
    assert credential.content.decode() == cert.credential
    other = make_learner("nosy", real_name="李四", id_number=make_resident_id("350104", "19920202", 993))
    client.force_login(other)
    assert client.get(f"/xueshi/certificates/mine/{cert.serial}.jwt").status_code == 404
    assert client.get(f"/xueshi/certificates/mine/{cert.serial}.pdf").status_code == 404


def test_pdf_download_renders_the_certificate(cert, learner):
    pytest.importorskip(
        "xueshi_certificates.pdf", reason="the certpdf helper's renderer is merged separately"
    )
    client = Client()
    client.force_login(learner)
    response = client.get(f"/xueshi/certificates/mine/{cert.serial}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    import subprocess

    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert cert.serial in text and cert.check_code in text and "92.5" in text


def test_staff_pages_need_the_permission(cert, learner, operator):
    client = Client()
    client.force_login(learner)
    assert client.get("/xueshi/certificates/staff/").status_code == 403
    assert (
        client.post(f"/xueshi/certificates/staff/{cert.serial}/revoke/", {"reason": "x"}).status_code == 403
    )
    client.force_login(operator)
    page = client.get("/xueshi/certificates/staff/").content.decode()
    assert cert.serial in page and "陈**" in page
    assert client.post(f"/xueshi/certificates/staff/{cert.serial}/revoke/", {"reason": ""}).status_code == 302
    assert not Certificate.objects.get().is_revoked
    client.post(f"/xueshi/certificates/staff/{cert.serial}/revoke/", {"reason": "证件信息有误"})
    assert Certificate.objects.get().revoke_reason == "证件信息有误"
    assert client.post("/xueshi/certificates/staff/batches/", {"year": "26"}).status_code == 400


def test_batch_issues_each_met_account_once_and_reruns_idempotently(reference_data, operator):
    learners = [
        make_learner(
            f"batch{n}", real_name=f"学员{n}", id_number=make_resident_id("350102", "19900101", 990 + n)
        )
        for n in range(4)
    ]
    unmet = learners[3].pk
    users = [u.pk for u in learners]

    def account_of(user_id):
        return make_account(user_id, met=user_id != unmet)

    batch = IssueBatch.objects.create(period_year=2026, created_by=operator)
    assert batches.run(batch.pk, users=users, account_of=account_of) == {
        "total": 4,
        "issued": 3,
        "existing": 0,
        "failed": 1,
    }
    again = IssueBatch.objects.create(period_year=2026, created_by=operator)
    assert batches.run(again.pk, users=users, account_of=account_of) == {
        "total": 4,
        "issued": 0,
        "existing": 3,
        "failed": 1,
    }
    assert Certificate.objects.count() == 3
    assert IssueBatch.objects.get(pk=again.pk).state == IssueBatch.DONE


def test_batch_runs_as_a_celery_task_from_the_staff_page(
    reference_data, operator, monkeypatch, django_capture_on_commit_callbacks
):
    """Celery runs eagerly in the test settings (no broker), as the sandbox does without one."""
    learner = make_learner("celerylearner")
    monkeypatch.setattr(
        batches, "_default_sources", lambda batch: ([learner.pk], lambda uid: make_account(uid))
    )
    client = Client()
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            "/xueshi/certificates/staff/batches/", {"year": "2026"}, HTTP_ACCEPT="application/json"
        )
    assert started.status_code == 202
    progress = client.get(f"/xueshi/certificates/staff/batches/{started.json()['id']}/").json()
    assert (progress["state"], progress["issued"], progress["processed"]) == ("done", 1, 1)
    assert Certificate.objects.filter(user_id=learner.pk).count() == 1
