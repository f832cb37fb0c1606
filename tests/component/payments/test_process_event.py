"""One effect per payment: duplicated, reordered, mismatched and racing events (ADR 0130).

Events are fed to ``process_event`` from threads, each with its own MariaDB connection, released
together by a barrier: the order row lock and the unique event key must make every race end
with one payment and one enrolment.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from sandbox.lms.models import Enrollment
from xueshi_core import compat
from xueshi_payments import enrolment, events, states, tasks
from xueshi_payments.channels import base
from xueshi_payments.models import Order, OrderLine, OrderTransition, ProviderEvent

from .conftest import make_user, order_for, race

pytestmark = pytest.mark.django_db(transaction=True)


def paid_event(order, event_id="evt-1", trade_no="T-1", **changes) -> base.ProviderEvent:
    event = base.ProviderEvent(
        provider=order.channel,
        event_id=event_id,
        kind=base.PAID,
        order_no=order.order_no,
        amount_fen=order.amount_fen,
        merchant_id="",
        app_id="",
        provider_trade_no=trade_no,
        raw=f'{{"notice": "{event_id}"}}',
    )
    return replace(event, **changes)


def enrolments(user, course):
    return Enrollment.objects.filter(user=user, course__course_key=course, is_active=True).count()


def test_racing_duplicates_reorders_and_a_query_pay_once_and_enrol_once(paid_course, learner, monkeypatch):
    order = order_for(learner, paid_course)
    created = []
    from openedx_events.learning.signals import COURSE_ENROLLMENT_CREATED

    def count(**kwargs):
        created.append(kwargs["enrollment"].user.id)

    COURSE_ENROLLMENT_CREATED.connect(count)
    try:
        notice = paid_event(order)
        query = paid_event(order, event_id="query:T-1")  # the same payment, learnt by our query
        outcomes = race(
            [lambda: events.process_event(notice)] * 6 + [lambda: events.process_event(query)] * 2
        )
    finally:
        COURSE_ENROLLMENT_CREATED.disconnect(count)
    assert not [o for o in outcomes if isinstance(o, BaseException)], outcomes
    assert outcomes.count(events.PAID) == 1
    assert outcomes.count(events.DUPLICATE) == 6
    order.refresh_from_db()
    assert order.state == states.FULFILLED and order.provider_trade_no == "T-1"
    assert enrolments(learner, paid_course) == 1 and created == [learner.id]
    assert Enrollment.objects.get(user=learner).mode == "verified"
    assert ProviderEvent.objects.filter(order=order).count() == 2
    assert set(outcomes) == {events.PAID, events.DUPLICATE, events.ALREADY_PAID}
    # A close reported late (reordered after the payment) changes nothing.
    late_close = replace(notice, event_id="close-1", kind=base.CLOSED)
    assert events.process_event(late_close) == events.STALE_CLOSE
    order.refresh_from_db()
    assert order.state == states.FULFILLED
    paid_moves = OrderTransition.objects.filter(order=order, to_state=states.PAID)
    # Whichever copy won the lock paid; its raw message is the one recorded.
    assert paid_moves.count() == 1 and paid_moves.get().raw in (
        '{"notice": "evt-1"}',
        '{"notice": "query:T-1"}',
    )


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"amount_fen": 1}, "amount 1 fen"),
        ({"provider": "alipay"}, "paid through alipay"),
    ],
)
def test_a_mismatched_notice_needs_attention_and_pays_nothing(paid_course, learner, change, reason):
    order = order_for(learner, paid_course)
    assert events.process_event(paid_event(order, **change)) == events.MISMATCH
    order.refresh_from_db()
    assert order.state == states.ATTENTION and reason in order.attention_reason
    assert enrolments(learner, paid_course) == 0
    # The right notice arriving afterwards does not pay either: an operator decides.
    assert events.process_event(paid_event(order, event_id="evt-2")) == events.WHILE_ATTENTION
    order.refresh_from_db()
    assert order.state == states.ATTENTION and enrolments(learner, paid_course) == 0


def test_merchant_and_app_ids_are_compared_when_the_channel_has_them(paid_course, learner, settings):
    settings.XUESHI_PAYMENT_CHANNELS = {"transfer": "tests.component.payments.channelkit.MerchantTransfer"}
    order = order_for(learner, paid_course)
    assert (
        events.process_event(paid_event(order, merchant_id="1900000109", app_id="wxOTHER")) == events.MISMATCH
    )
    order.refresh_from_db()
    assert "app id" in order.attention_reason and order.state == states.ATTENTION
    other = order_for(learner, paid_course)
    good = paid_event(other, event_id="e2", merchant_id="1900000109", app_id="wxd678efh567hg6787")
    assert events.process_event(good) == events.PAID


def test_a_second_different_payment_is_recorded_not_enrolled_again(paid_course, learner):
    order = order_for(learner, paid_course)
    assert events.process_event(paid_event(order)) == events.PAID
    assert events.process_event(paid_event(order, event_id="evt-9", trade_no="T-9")) == events.EXTRA_PAYMENT
    order.refresh_from_db()
    assert order.state == states.FULFILLED and "T-9" in order.attention_reason
    assert enrolments(learner, paid_course) == 1


def test_payment_after_close_needs_attention(paid_course, learner):
    order = order_for(learner, paid_course)
    assert events.process_event(paid_event(order, event_id="c", kind=base.CLOSED)) == events.CLOSED
    assert events.process_event(paid_event(order)) == events.PAID_AFTER_CLOSE
    order.refresh_from_db()
    assert order.state == states.ATTENTION and enrolments(learner, paid_course) == 0


def test_unknown_orders_are_stored_once_and_change_nothing(paid_course, learner):
    ghost = base.ProviderEvent("transfer", "g1", base.PAID, "XSNOSUCHORDER", 3000, "", "", "T", "{}")
    assert race([lambda: events.process_event(ghost)] * 4).count(events.UNKNOWN_ORDER) == 1
    assert ProviderEvent.objects.filter(event_id="g1").count() == 1 and not Order.objects.exists()


def test_a_worker_dying_between_paid_and_enrolled_is_recovered_by_the_sweep(
    paid_course, learner, monkeypatch, settings
):
    settings.XUESHI_PAYMENTS_ENROL_RETRY_SECONDS = 0
    order = order_for(learner, paid_course)

    def die(order_no):
        raise SystemExit("worker killed after the paid commit")

    monkeypatch.setattr(enrolment, "enrol_order", die)
    with pytest.raises(SystemExit):
        events.process_event(paid_event(order))
    monkeypatch.undo()
    order.refresh_from_db()
    assert order.state == states.PAID and enrolments(learner, paid_course) == 0  # paid, not yet enrolled
    # The beat's retry and a late duplicate notice race; the line is enrolled once.
    outcomes = race([tasks.sweep, tasks.sweep, lambda: events.process_event(paid_event(order))])
    assert outcomes[2] == events.DUPLICATE
    order.refresh_from_db()
    assert order.state == states.FULFILLED and enrolments(learner, paid_course) == 1
    assert OrderLine.objects.get(order=order).enrolled_at is not None


def test_an_employer_order_enrols_every_learner_once_under_racing_notices(paid_course):
    employer = make_user("employer_hr")
    staff = [make_user(f"worker{i}") for i in range(5)]
    order = order_for(employer, paid_course, learners=staff)
    assert order.amount_fen == 15000
    race(
        [lambda: events.process_event(paid_event(order))] * 4
        + [lambda: enrolment.enrol_order(order.order_no)] * 2
    )
    order.refresh_from_db()
    assert order.state == states.FULFILLED
    assert [enrolments(u, paid_course) for u in staff] == [1] * 5 and enrolments(employer, paid_course) == 0
    assert all(compat.is_enrolled(u, paid_course) for u in staff)
