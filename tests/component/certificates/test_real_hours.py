"""The real chain, against MariaDB: ledger daily totals + course completions + a rule set → hour
account → certificate. No stand-in ``hour_account``: the hours app computes what is certified.

A small rule (Fujian 专技 by course completion, 10 学时 with 6 专业) is stored as rule data over the
shipped national one, so two completed courses meet it and one does not.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from xueshi_certificates import batches, snapshot
from xueshi_certificates.issuing import claim_year
from xueshi_certificates.models import Certificate, IssueBatch
from xueshi_certificates.verification import verify_token
from xueshi_hours import api as hours
from xueshi_hours import rulestore
from xueshi_identity.models import IdentityProfile

from ..hours.hourkit import learner
from .certkit import FUJIAN, PRO, PUB, RULE, courses, small_rule, studied


@pytest.fixture(autouse=True)
def _fresh_hours_caches() -> Any:
    from xueshi_hours import accountcache

    rulestore._parsed.cache_clear()
    accountcache.forget_local()
    yield
    rulestore._parsed.cache_clear()
    accountcache.forget_local()


@pytest.fixture
def chain(db: None) -> None:
    rulestore.load_shipped()  # idempotent; a transactional test elsewhere may have flushed them
    small_rule()
    courses()


def test_a_met_account_is_certified_with_exactly_its_figures(chain: None) -> None:
    me = studied("cert-chain", PRO, PUB)
    account = hours.hour_account(me.pk, 2026)
    assert (account.rule_id, account.rule_version, account.met) == (RULE, 1, True)
    assert account.earned_total == Decimal(12) and account.earned_by_category["professional"] == Decimal(8)
    cert = claim_year(me.pk, 2026).certificate
    snap = cert.snapshot
    assert snap["rule"] == {"id": RULE, "version": 1, "title": "福建专技（测试）"}
    assert (cert.rule_id, cert.rule_version, cert.period_year) == (RULE, 1, 2026)
    assert snap["period"] == {"label": "2026", "start": "2026-01-01", "end": "2026-12-31"}
    assert Decimal(snap["total"]) == account.earned_total
    assert Decimal(snap["required_total"]) == account.required_total
    assert {k: Decimal(v) for k, v in snap["by_category"].items()} == {
        k: v for k, v in account.earned_by_category.items() if v > 0
    }
    counted = [x for x in account.lines if x.hours > 0]
    assert (
        snap["courses"]
        == [["建筑新技术", "8"], ["法治建设", "4"]]
        == [[x.title, snapshot._num(x.hours)] for x in counted]
    )
    profile = IdentityProfile.objects.get(user=me)
    assert (snap["holder"]["name"], snap["holder"]["id_masked"]) == (
        profile.real_name,
        profile.id_number_masked,
    )
    assert claim_year(me.pk, 2026).created is False and Certificate.objects.count() == 1


def test_an_unmet_account_is_refused_with_its_reason(chain: None) -> None:
    from xueshi_certificates.issuing import NotEligible

    short = studied("cert-short", PRO)  # 8 of 10
    with pytest.raises(NotEligible) as caught:
        claim_year(short.pk, 2026)
    assert caught.value.code == "not_met" and not Certificate.objects.exists()


def test_a_new_rule_version_keeps_the_certificate_and_its_figures(chain: None) -> None:
    me = studied("cert-keep", PRO, PUB)
    cert = claim_year(me.pk, 2026).certificate
    before = dict(cert.snapshot)
    small_rule(required="40")  # version 2: the same learners would no longer meet it
    rulestore._parsed.cache_clear()
    assert rulestore.latest_versions()[RULE] == 2
    newcomer = studied("cert-new", PRO, PUB)
    assert hours.hour_account(newcomer.pk, 2026).rule_version == 2
    assert not hours.hour_account(newcomer.pk, 2026).met
    cert.refresh_from_db()
    assert cert.snapshot == before and (cert.rule_version, cert.status) == (1, "issued")
    assert hours.hour_account(me.pk, 2026).rule_version == 1  # the account stays pinned, still met
    verdict = verify_token(cert.credential)
    assert verdict.ok and verdict.claims["xueshi"]["rule"] == {"id": RULE, "version": 1}
    page = Client().get(f"/xueshi/certificates/verify/{cert.serial}/{cert.check_code}/")
    assert page.status_code == 200 and "(v1)" in page.content.decode()


def test_a_year_batch_issues_exactly_the_met_learners_once(chain: None) -> None:
    met = [studied(f"cert-met{n}", PRO, PUB) for n in range(3)]
    studied("cert-half", PRO)  # not met
    learner("cert-idle", FUJIAN, "professional_technical")  # no study at all
    first = IssueBatch.objects.create(period_year=2026)
    assert batches.run(first.pk) == {"total": 3, "issued": 3, "existing": 0, "failed": 0}
    assert sorted(Certificate.objects.values_list("user_id", flat=True)) == sorted(u.pk for u in met)
    again = batches.run(IssueBatch.objects.create(period_year=2026).pk)
    assert again == {"total": 3, "issued": 0, "existing": 3, "failed": 0}
    assert Certificate.objects.count() == 3
    assert batches.run(IssueBatch.objects.create(period_year=2026, region_prefix="11").pk)["total"] == 0
