"""Issued once (threads racing on MariaDB get one certificate), reproducible, rule versions kept."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest

from xueshi_certificates import credentials, documents, verification
from xueshi_certificates.issuing import NotEligible, issue_for_account
from xueshi_certificates.models import Certificate
from xueshi_identity.testing import make_resident_id

from ..racekit import race
from .conftest import ID_NUMBER, make_account, make_learner


def test_racing_threads_get_one_certificate(transactional_db, reference_data):
    learner = make_learner("racer")
    account = make_account(learner.pk)
    results, errors = race(lambda: issue_for_account(account), threads=8)
    assert not errors
    assert Certificate.objects.count() == 1
    assert {r.certificate.serial for r in results} == {Certificate.objects.get().serial}
    assert sum(r.created for r in results) == 1


def test_serials_are_sequential_and_slots_distinct(learner, reference_data):
    other = make_learner("second", real_name="王磊", id_number=make_resident_id("350103", "19910101", 995))
    first = issue_for_account(make_account(learner.pk)).certificate
    second = issue_for_account(make_account(other.pk)).certificate
    assert first.serial[:13] == second.serial[:13] == "NXSJY35010026"
    assert int(second.serial[13:20]) == int(first.serial[13:20]) + 1
    assert first.status_index != second.status_index
    assert first.check_code != second.check_code


def test_snapshot_holds_what_is_certified_and_never_the_id_number(learner):
    cert = issue_for_account(make_account(learner.pk)).certificate
    snap = cert.snapshot
    assert snap["total"] == "92.5" and snap["by_category"] == {"professional": "62.5", "public": "30"}
    assert snap["rule"] == {"id": "cn-zj-2015", "version": 1, "title": "专业技术人员继续教育规定"}
    assert snap["courses"] == [["新时代法治建设（公需）", "30"], ["安全生产新技术（专业）", "62.5"]]
    assert (
        snap["holder"]["name"] == "陈静怡"
        and snap["holder"]["id_masked"] == "3501**********" + ID_NUMBER[-4:]
    )
    expected = "sha256$" + hashlib.sha256((ID_NUMBER + snap["holder"]["id_salt"]).encode()).hexdigest()
    assert snap["holder"]["id_hash"] == expected
    assert ID_NUMBER not in str(snap) and ID_NUMBER not in cert.credential


def test_certificate_is_reproducible_from_its_snapshot(learner):
    cert = issue_for_account(make_account(learner.pk)).certificate
    again = Certificate.objects.get(pk=cert.pk)
    assert credentials.sign_certificate(again)[0] == cert.credential
    fields = documents.document_fields(again)
    assert fields["title"] == "2026年度继续教育学时证明"
    assert fields["body"].startswith(
        "依据《专业技术人员继续教育规定》，陈静怡于2026-01-01至2026-12-31参加继续教育，累计取得92.5学时"
    )
    assert fields["verify_url"].endswith(f"/xueshi/certificates/verify/{cert.serial}/{cert.check_code}/")


def test_a_new_rule_version_keeps_the_old_certificate_valid(learner):
    old = issue_for_account(make_account(learner.pk, version=1)).certificate
    again = issue_for_account(make_account(learner.pk, version=2, earned_total=Decimal("95")))
    assert not again.created and again.certificate.pk == old.pk
    assert (
        again.certificate.snapshot["rule"]["version"] == 1 and again.certificate.snapshot["total"] == "92.5"
    )
    assert verification.verify_token(old.credential).status == verification.VALID


def test_unmet_account_or_missing_profile_is_refused(learner, django_user_model):
    with pytest.raises(NotEligible) as unmet:
        issue_for_account(make_account(learner.pk, met=False))
    assert unmet.value.code == "not_met"
    nobody = django_user_model.objects.create_user("no-profile")
    with pytest.raises(NotEligible) as missing:
        issue_for_account(make_account(nobody.pk))
    assert missing.value.code == "no_profile"
    assert not Certificate.objects.exists()
