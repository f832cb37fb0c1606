"""Every failure mode of the provincial receiver: each record is held exactly once, in order per learner.

The sandbox fails, hangs after storing (our timeout), drops the connection after storing (a lost
ack), answers with a forged signature after storing, and acks twice with a stale ack of the
previous batch mixed in. Deliveries are run until nothing is due; the receiver must then hold every
record once, have received some of them more than once (so the dedup was exercised), and have
first stored each learner's records in outbox order.
"""

from __future__ import annotations

import pytest

from xueshi_reporting import delivery
from xueshi_reporting.models import Delivery, Exchange

from .conftest import held_in_order, states, write_study


def drain(code: str, rounds: int = 40) -> None:
    for _ in range(rounds):
        if not delivery.run(code, budget_seconds=10):
            return


@pytest.mark.parametrize(("algorithm", "sm4"), [("HMAC-SHA256", False), ("HMAC-SM3", False), ("SM2", True)])
def test_every_failure_mode_still_delivers_each_record_once(provinces, algorithm: str, sm4: bool) -> None:
    province = provinces("fj", algorithm, sm4, batch_size=7)
    rows = write_study(learners=5, days=8)  # 40 records, each learner's interleaved with the others
    province.platform.controls.__dict__.update(fail=1, timeout=1, lose_ack=1, forge=1, ack_twice=2, hang=1.5)
    drain("fj")
    assert states(province.destination) == {Delivery.DELIVERED: 40}
    platform = province.platform
    assert sorted(platform.records) == sorted(r.idempotency_key for r in rows)
    assert len(platform.arrivals) == 40 == len(set(platform.arrivals))
    # The first batch was refused (500), then stored but hung, lost and forged: sent again each time.
    assert sorted(platform.receipts.values()).count(4) == 7 and max(platform.receipts.values()) == 4
    for seqs in held_in_order(platform).values():
        assert seqs == sorted(seqs) and len(seqs) == 8
    outcomes = sorted(Exchange.objects.values_list("outcome", flat=True))
    assert {"error", "timeout", "forged", "answered"} <= set(outcomes)


def test_a_refused_record_is_dead_holds_the_learner_back_and_is_redriven(provinces) -> None:
    province = provinces("zj", batch_size=3)  # a day per batch
    rows = write_study(learners=3, days=3)
    refused = rows[1]  # learner 2's first record
    province.platform.controls.reject_ids = ["350102199003070002"]
    drain("zj")
    assert states(province.destination) == {Delivery.DELIVERED: 6, Delivery.DEAD: 1, Delivery.PENDING: 2}
    dead = Delivery.objects.get(state=Delivery.DEAD)
    assert dead.record_id == refused.pk and "登记库" in dead.last_error
    assert 2 not in held_in_order(province.platform)  # nothing of learner 2 went past the refused one
    # The register now knows the learner; the operator re-drives.
    province.platform.controls.reject_ids = []
    assert delivery.redrive([dead.pk]) == 1
    drain("zj")
    assert states(province.destination) == {Delivery.DELIVERED: 9}
    assert held_in_order(province.platform)[2] == sorted(r.pk for r in rows if r.learner_id == 2)


def test_a_destination_that_keeps_failing_dead_letters_after_max_attempts(provinces) -> None:
    province = provinces("ah", max_attempts=2)
    write_study(learners=1, days=2)
    province.platform.controls.fail = 10
    drain("ah")
    assert states(province.destination) == {Delivery.DEAD: 2}  # one batch: both tried twice
    assert province.platform.records == {}
    province.platform.controls.fail = 0
    delivery.redrive(list(Delivery.objects.filter(state=Delivery.DEAD).values_list("pk", flat=True)))
    drain("ah")
    assert states(province.destination) == {Delivery.DELIVERED: 2}
    assert len(province.platform.records) == 2


def test_a_request_signed_with_the_wrong_key_is_refused_and_nothing_is_lost(provinces) -> None:
    province = provinces("js")
    write_study(learners=2, days=1)
    from django.conf import settings

    good = settings.XUESHI_REPORTING_SECRETS["js"]
    settings.XUESHI_REPORTING_SECRETS = {"js": {**good, "hmac_key": "not-the-shared-key"}}
    drain("js", rounds=3)
    assert province.platform.records == {}
    assert province.platform.calls[-1].result.startswith("401")
    assert states(province.destination) == {Delivery.PENDING: 2}
    assert Exchange.objects.filter(outcome="forged").exists()  # its 401 answer is unsigned: not trusted
    settings.XUESHI_REPORTING_SECRETS = {"js": good}
    drain("js")
    assert states(province.destination) == {Delivery.DELIVERED: 2}


def test_writing_the_same_fact_twice_is_one_record(provinces) -> None:
    province = provinces("gd")
    first = write_study(learners=2, days=2)
    assert write_study(learners=2, days=2) == []
    assert Delivery.objects.filter(destination=province.destination).count() == len(first) == 4


def test_a_new_destination_gets_the_history_it_wants(provinces) -> None:
    from xueshi_reporting import outbox

    provinces("gd")
    write_study(learners=2, days=2, region="350102")
    write_study(learners=1, days=1, region="330106")
    later = provinces("zj", region_prefix="33")
    assert Delivery.objects.filter(destination=later.destination).count() == 0
    assert outbox.route_to(later.destination) == 1
    assert outbox.route_to(later.destination) == 0
    drain("zj")
    assert [r["learner"]["region"] for r in later.platform.records.values()] == ["330106"]
