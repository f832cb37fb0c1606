"""Learners ask for refunds over HTTP; operators approve (into the refund flow) or reject (with a
reason the learner reads). Bank-transfer orders: their refunds are final when recorded, so the
whole flow runs without a provider; the WeChat Pay path is in ``test_reconciliation``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from sandbox.lms import enrollment
from tests.component.payments.conftest import make_user, order_for, signed_in
from xueshi_payments import states, transfers
from xueshi_payments.models import Order, Refund
from xueshi_payments.refund_request_models import RefundRequest

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-cn"}


def paid_by_transfer(learner, course, operator) -> Order:
    order = order_for(learner, course)
    transfers.confirm(order.order_no, operator, "银行流水 20261204-001")
    order.refresh_from_db()
    assert order.state == states.FULFILLED
    return order


def ask(client, order_no: str, reason: str = "工作调动，无法学习"):
    return client.post(f"/xueshi/payments/orders/{order_no}/refund-request/", {"reason": reason}, **ZH)


def decide(client, request_id: int, action: str, reason: str = ""):
    return client.post(
        f"/xueshi/payments/manage/refund-requests/{request_id}/", {"action": action, "reason": reason}
    )


def test_a_request_approved_refunds_the_order_and_the_learner_sees_it(
    learner, paid_course, operator, operator_client
):
    order = paid_by_transfer(learner, paid_course, operator)
    me = signed_in(learner)
    mine = me.get("/xueshi/payments/mine/", **ZH).content.decode()
    assert "refund-request-form" in mine
    assert ask(me, order.order_no, "  ").status_code == 400
    assert ask(me, order.order_no, "长" * 201).status_code == 400
    assert ask(signed_in(make_user("someone_else")), order.order_no).status_code == 404
    assert not RefundRequest.objects.exists()
    assert ask(me, order.order_no).status_code == 302
    assert ask(me, order.order_no, "再问一次").status_code == 409  # never twice
    asked = RefundRequest.objects.get(order=order)
    assert (asked.state, asked.learner_id) == (RefundRequest.PENDING, learner.pk)

    listing = operator_client.get("/xueshi/payments/manage/refund-requests/", **ZH).content.decode()
    assert f'data-request="{asked.pk}"' in listing and "工作调动，无法学习" in listing
    assert decide(me, asked.pk, "approve").status_code == 403  # one session per learner: reuse it
    assert decide(operator_client, asked.pk, "refund-twice").status_code == 400
    assert decide(operator_client, 987654, "approve").status_code == 404
    assert decide(operator_client, asked.pk, "approve", "同意").status_code == 302
    assert decide(operator_client, asked.pk, "approve").status_code == 409  # decided once
    assert decide(operator_client, asked.pk, "reject", "晚了").status_code == 409

    asked.refresh_from_db()
    order.refresh_from_db()
    refund = Refund.objects.get(order=order)
    assert (asked.state, asked.refund_id, refund.amount_fen, refund.state) == (
        RefundRequest.APPROVED,
        refund.pk,
        3000,
        Refund.SUCCEEDED,
    )
    assert order.state == states.REFUNDED and order.refunded_fen == 3000
    assert not enrollment.is_enrolled(learner, paid_course)
    mine = me.get("/xueshi/payments/mine/", **ZH).content.decode()
    assert 'class="refund-request" data-state="approved"' in mine and refund.refund_no in mine


def test_a_request_rejected_shows_the_reason_and_nothing_is_refunded(
    learner, paid_course, operator, operator_client
):
    order = paid_by_transfer(learner, paid_course, operator)
    me = signed_in(learner)
    assert ask(me, order.order_no).status_code == 302
    asked = RefundRequest.objects.get(order=order)
    assert decide(operator_client, asked.pk, "reject", "  ").status_code == 400
    assert decide(operator_client, asked.pk, "reject", "已学完全部课时，不予退款").status_code == 302
    asked.refresh_from_db()
    order.refresh_from_db()
    assert asked.state == RefundRequest.REJECTED and asked.decided_by_id is not None
    assert order.state == states.FULFILLED and not Refund.objects.filter(order=order).exists()
    mine = me.get("/xueshi/payments/mine/", **ZH).content.decode()
    assert 'data-state="rejected"' in mine and "已学完全部课时，不予退款" in mine
    assert "refund-request-form" not in mine


def test_only_paid_orders_within_the_window_may_be_asked(learner, paid_course, operator):
    me = signed_in(learner)
    unpaid = order_for(learner, paid_course)
    assert ask(me, unpaid.order_no).status_code == 409
    old = paid_by_transfer(learner, paid_course, operator)
    Order.objects.filter(pk=old.pk).update(paid_at=timezone.now() - timedelta(days=8))
    assert ask(me, old.order_no).status_code == 409
    with override_settings(XUESHI_PAYMENTS_REFUND_REQUEST_DAYS=30):
        assert ask(me, old.order_no).status_code == 302
    assert ask(me, "XSNOSUCHORDER1").status_code == 404
    assert me.get(f"/xueshi/payments/orders/{old.order_no}/refund-request/").status_code == 405
    assert RefundRequest.objects.count() == 1
