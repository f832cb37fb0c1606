"""The state table is the only way an order's state moves (ADR 0130)."""

from __future__ import annotations

import itertools

import pytest
from django.db import transaction

from xueshi_payments import orders, states
from xueshi_payments.models import Order, OrderTransition

from .conftest import order_for

pytestmark = pytest.mark.django_db


def test_every_listed_move_is_recorded_and_every_other_pair_is_refused(paid_course, learner):
    order = order_for(learner, paid_course)
    for from_state, to_state in itertools.product(states.STATES, repeat=2):
        Order.objects.filter(pk=order.pk).update(state=from_state)
        before = OrderTransition.objects.filter(order=order).count()
        with transaction.atomic():
            row = orders.locked(order.order_no)
            if states.allowed(from_state, to_state):
                orders.transition(row, to_state, "test", raw="{}", actor=learner)
            else:
                with pytest.raises(states.IllegalTransition):
                    orders.transition(row, to_state, "test")
        order.refresh_from_db()
        moved = states.allowed(from_state, to_state)
        assert order.state == (to_state if moved else from_state)
        assert OrderTransition.objects.filter(order=order).count() == before + int(moved)
    last = OrderTransition.objects.filter(order=order).last()
    assert (last.reason, last.raw, last.actor) == ("test", "{}", learner)


def test_table_has_no_dead_ends_except_final_states():
    sources = {a for a, _ in states.TRANSITIONS}
    assert set(states.STATES) - sources == {states.REFUNDED}
    assert len(states.TRANSITIONS) == 20


@pytest.mark.django_db(transaction=True)
def test_a_transition_outside_a_transaction_is_refused(paid_course, learner):
    order = order_for(learner, paid_course)
    with pytest.raises(RuntimeError):
        orders.transition(order, states.CLOSED, "no lock")
    order.refresh_from_db()
    assert order.state == states.PENDING


def test_an_order_is_frozen_with_integer_fen_from_the_course_mode(paid_course, learner):
    order = order_for(learner, paid_course)
    line = order.lines.get()
    assert (order.amount_fen, line.price_fen, line.mode, order.state) == (
        3000,
        3000,
        "verified",
        states.PENDING,
    )
    assert order.order_no.startswith("XS") and 6 <= len(order.order_no) <= 32 and order.order_no.isalnum()
    first = order.transitions.get()
    assert (first.from_state, first.to_state) == ("", states.PENDING)


def test_the_sweep_closes_expired_unpaid_orders_but_not_those_under_review(paid_course, learner):
    from datetime import timedelta

    from django.utils import timezone

    from xueshi_payments import tasks

    expired, reviewing, fresh = (order_for(learner, paid_course) for _ in range(3))
    Order.objects.filter(pk__in=[expired.pk, reviewing.pk]).update(expires_at=timezone.now() - timedelta(1))
    Order.objects.filter(pk=reviewing.pk).update(state=states.REVIEWING)
    counts = tasks.sweep()
    assert counts["closed"] == 1 and counts["errors"] == 0
    states_now = {o.pk: o.state for o in Order.objects.all()}
    assert states_now == {expired.pk: states.CLOSED, reviewing.pk: states.REVIEWING, fresh.pk: states.PENDING}
    assert Order.objects.get(pk=expired.pk).transitions.last().reason == "expired unpaid"


def test_an_enrolment_the_platform_keeps_refusing_puts_the_order_in_attention(paid_course, learner):
    from datetime import timedelta

    from django.utils import timezone
    from opaque_keys.edx.keys import CourseKey

    from sandbox.lms.models import CourseRun
    from xueshi_payments import enrolment, transfers

    order = order_for(learner, paid_course)
    CourseRun.objects.filter(course_key=CourseKey.from_string(paid_course)).delete()  # the run is gone
    assert transfers.confirm(order.order_no, learner) == "paid"
    order.refresh_from_db()
    line = order.lines.get()
    assert order.state == states.PAID and line.enrolled_at is None and line.enrol_error
    Order.objects.filter(pk=order.pk).update(paid_at=timezone.now() - timedelta(hours=2))
    assert enrolment.enrol_order(order.order_no) is False
    order.refresh_from_db()
    assert order.state == states.ATTENTION and order.attention_reason.startswith("enrolment refused")


def test_a_refund_is_sent_again_with_the_same_number_until_final(paid_course, learner, settings):
    from tests.component.payments.channelkit import FlakyRefunds
    from xueshi_payments import refunds, tasks, transfers
    from xueshi_payments.models import Refund

    settings.XUESHI_PAYMENT_CHANNELS = {"transfer": "tests.component.payments.channelkit.FlakyRefunds"}
    FlakyRefunds.script, FlakyRefunds.calls = ["timeout", "processing", "processing", "succeeded"], []
    order = order_for(learner, paid_course)
    transfers.confirm(order.order_no, learner)
    refund = refunds.request_refund(order.order_no, 1200, "学员申请", learner)
    assert refunds.send_refund(refund.refund_no) == Refund.REQUESTED  # no answer: try again later
    for _ in range(3):
        tasks.sweep()
    refund.refresh_from_db()
    assert refund.state == Refund.SUCCEEDED and refund.attempts == 4
    assert FlakyRefunds.calls == [refund.refund_no] * 4
    order.refresh_from_db()
    assert (order.state, order.refunded_fen) == (states.PARTIALLY_REFUNDED, 1200)
    tasks.sweep()
    assert len(FlakyRefunds.calls) == 4  # final: never sent again


def test_refund_notices_apply_once_like_payment_notices(paid_course, learner, settings):
    from dataclasses import replace

    from tests.component.payments.channelkit import FlakyRefunds
    from xueshi_payments import events, refunds, transfers
    from xueshi_payments.channels import base
    from xueshi_payments.models import Refund

    settings.XUESHI_PAYMENT_CHANNELS = {"transfer": "tests.component.payments.channelkit.FlakyRefunds"}
    FlakyRefunds.script, FlakyRefunds.calls = ["processing"], []
    order = order_for(learner, paid_course)
    transfers.confirm(order.order_no, learner)
    refund = refunds.request_refund(order.order_no, 3000, "课程取消", learner)
    assert refunds.send_refund(refund.refund_no) == Refund.PROCESSING
    notice = base.ProviderEvent(
        "transfer",
        "rf-1",
        base.REFUND_SUCCEEDED,
        order.order_no,
        3000,
        "",
        "",
        "",
        "{}",
        refund_no=refund.refund_no,
    )
    assert events.process_event(notice) == "refund_succeeded"
    assert events.process_event(notice) == events.DUPLICATE
    assert events.process_event(replace(notice, event_id="rf-2")) == "refund_already_succeeded"
    order.refresh_from_db()
    assert (order.state, order.refunded_fen) == (states.REFUNDED, 3000)


def test_an_operator_resolves_an_order_needing_attention(paid_course, learner):
    from django.contrib.auth.models import Group

    from sandbox.lms import enrollment
    from xueshi_core import roles
    from xueshi_payments import events

    from .conftest import make_user, signed_in
    from .test_process_event import paid_event

    operator = make_user("resolver")
    operator.groups.add(Group.objects.get_or_create(name=roles.OPERATOR)[0])
    desk = signed_in(operator)
    accepted, closed = order_for(learner, paid_course), order_for(learner, paid_course)
    for order in (accepted, closed):
        assert (
            events.process_event(paid_event(order, event_id=f"m-{order.pk}", amount_fen=2999))
            == events.MISMATCH
        )
    act = "/xueshi/payments/manage/{}/act/"
    assert desk.post(act.format(accepted.order_no), {"action": "accept"}).status_code == 400  # no reason
    assert (
        desk.post(act.format(accepted.order_no), {"action": "accept", "reason": "差额已补"}).status_code
        == 302
    )
    assert (
        desk.post(act.format(closed.order_no), {"action": "close", "reason": "已线下退回"}).status_code == 302
    )
    assert desk.post(act.format(closed.order_no), {"action": "close", "reason": "again"}).status_code == 409
    states_now = dict(Order.objects.values_list("order_no", "state"))
    assert states_now == {accepted.order_no: states.FULFILLED, closed.order_no: states.CLOSED}
    assert enrollment.mode_for_user(learner, paid_course) == ("verified", True)
