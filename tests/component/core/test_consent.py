"""Consent records: only to the notice shown today, withdrawn by a stamp, pseudonymised at retirement."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import RequestFactory
from django.utils import translation

from xueshi_core import consent, retirement
from xueshi_core.models import ConsentRecord


@pytest.fixture
def learner(db: None) -> User:
    return User.objects.create_user("consenter", "c@example.invalid", None)


def test_consent_to_an_unknown_notice_or_version_is_refused(learner: User) -> None:
    with pytest.raises(consent.UnknownNotice):
        consent.record_consent(learner, consent.FACE, 99)
    with pytest.raises(consent.UnknownNotice):
        consent.record_consent(learner, "marketing", 1)
    assert not ConsentRecord.objects.exists() and not consent.has_consented(learner, consent.FACE)


def test_withdrawal_keeps_the_evidence_and_ends_the_consent(learner: User) -> None:
    request = RequestFactory().post("/xueshi/face/enrol/", REMOTE_ADDR="198.51.100.23")
    record = consent.record_consent(learner, consent.FACE, 1, request)
    assert consent.has_consented(learner, consent.FACE)
    assert not consent.has_consented(learner, consent.ID_NUMBER)  # a separate consent per kind
    assert consent.withdraw_consent(learner, consent.FACE) == 1
    record.refresh_from_db()
    assert record.withdrawn_at is not None and record.ip == "198.51.100.23"
    assert not consent.has_consented(learner, consent.FACE)


def test_notices_name_processor_purpose_retention_and_rights_in_both_languages(settings) -> None:
    settings.XUESHI_PRIVACY_CONTROLLER = "某省继续教育中心"
    with translation.override("zh-hans"):
        chinese = consent.notice_html(consent.FACE, frame_retention_days=14)
    with translation.override("en"):
        english = consent.notice_html(consent.ID_NUMBER)
    assert "某省继续教育中心" in chinese and "14 天" in chinese and "撤回" in chinese
    assert all(word in english for word in ("Processor", "Purpose", "Retention", "Your rights"))


def test_retirement_keeps_consents_with_a_coarse_ip(learner: User) -> None:
    request = RequestFactory().post("/register/", REMOTE_ADDR="202.96.128.86")
    consent.record_consent(learner, consent.ID_NUMBER, 1, request)
    retirement.retire(learner)
    assert ConsentRecord.objects.get(user_id=learner.pk).ip == "202.96.128.0"
