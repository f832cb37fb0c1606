"""Enrolment follows payment: the ``CourseEnrollmentStarted`` step refuses a paid run without a paid
line on every path that enrols in the sandbox (the LMS's ``/change_enrollment``, the platform's
``CourseEnrollment.enroll`` that APIs, bulk enrolment and our demo call); free runs enrol at once;
a full refund unenrols (setting)."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client

from sandbox.lms import enrollment
from xueshi_core import compat
from xueshi_payments import refunds, states, transfers
from xueshi_payments.settings.wiring import ENROLLMENT_FILTER, ENROLLMENT_STEP

from .conftest import make_user, order_for, signed_in

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-cn"}


def enrol_form(client: Client, course: str, action: str = "enroll"):
    return client.post("/change_enrollment", {"course_id": course, "enrollment_action": action}, **ZH)


def test_the_step_is_wired_failing_closed():
    entry = django_settings.OPEN_EDX_FILTERS_CONFIG[ENROLLMENT_FILTER]
    assert ENROLLMENT_STEP in entry["pipeline"] and entry["fail_silently"] is False


def test_every_enrolment_path_refuses_a_paid_run_without_payment(paid_course, learner):
    refused = enrol_form(signed_in(learner), paid_course)
    assert refused.status_code == 400
    assert "30.00" in refused.content.decode() and "/xueshi/payments/checkout/" in refused.content.decode()
    with pytest.raises(enrollment.EnrollmentNotAllowed):
        compat.enroll(learner, paid_course)  # the platform's CourseEnrollment.enroll (API, bulk, demo)
    with pytest.raises(enrollment.EnrollmentNotAllowed):
        compat.enroll(learner, paid_course, mode="verified")
    assert not compat.is_enrolled(learner, paid_course)
    # An unpaid (pending) order is not a paid line either.
    order_for(learner, paid_course)
    assert enrol_form(signed_in(learner), paid_course).status_code == 400
    assert not compat.is_enrolled(learner, paid_course)


def test_a_free_run_enrols_at_once_and_staff_pass(free_course, paid_course, learner):
    assert enrol_form(signed_in(learner), free_course).status_code == 302
    assert compat.is_enrolled(learner, free_course)
    staff = make_user("pay_staff", is_staff=True)
    compat.enroll(staff, paid_course)
    assert compat.is_enrolled(staff, paid_course)


def test_paid_enrols_in_the_paid_mode_and_a_full_refund_unenrols(paid_course, learner, settings):
    order = order_for(learner, paid_course)
    operator = make_user("pay_operator")
    assert transfers.confirm(order.order_no, operator) == "paid"
    assert enrollment.mode_for_user(learner, paid_course) == ("verified", True)
    # Partial refund keeps the course; the rest of the money unenrols.
    refunds.send_refund(refunds.request_refund(order.order_no, 1000, "部分退款", operator).refund_no)
    order.refresh_from_db()
    assert order.state == states.PARTIALLY_REFUNDED and compat.is_enrolled(learner, paid_course)
    with pytest.raises(refunds.RefundRefused):
        refunds.request_refund(order.order_no, 2001, "超额", operator)
    refunds.send_refund(refunds.request_refund(order.order_no, 2000, "全额", operator).refund_no)
    order.refresh_from_db()
    assert (order.state, order.refunded_fen) == (states.REFUNDED, 3000)
    assert not compat.is_enrolled(learner, paid_course)
    assert (
        enrol_form(signed_in(learner), paid_course).status_code == 400
    )  # the refunded line no longer counts


def test_with_the_setting_off_a_full_refund_keeps_the_enrolment(paid_course, learner, settings):
    settings.XUESHI_PAYMENTS_UNENROL_ON_FULL_REFUND = False
    order = order_for(learner, paid_course)
    operator = make_user("pay_operator")
    transfers.confirm(order.order_no, operator)
    refunds.send_refund(refunds.request_refund(order.order_no, 3000, "全额", operator).refund_no)
    order.refresh_from_db()
    assert order.state == states.REFUNDED and compat.is_enrolled(learner, paid_course)


def test_the_course_page_shows_the_price_and_buy_button(paid_course, free_course, learner):
    page = signed_in(learner).get(f"/courses/{paid_course}/", **ZH).content.decode()
    assert "¥30.00" in page and 'id="buy-button"' in page and 'id="enrol-button"' not in page
    free = signed_in(learner).get(f"/courses/{free_course}/", **ZH).content.decode()
    assert 'id="buy-button"' not in free and 'id="enrol-button"' in free


def test_the_demo_sells_a_paid_course_that_nobody_owns_yet(seeded_demo):
    from django.contrib.auth import get_user_model

    from xueshi_payments.demo import PAID_DEMO_COURSE_KEY

    wangwu = get_user_model().objects.get(username="wangwu")
    page = signed_in(wangwu).get(f"/courses/{PAID_DEMO_COURSE_KEY}/", **ZH).content.decode()
    assert "¥30.00" in page and "购买课程" in page
    assert enrol_form(signed_in(wangwu), PAID_DEMO_COURSE_KEY).status_code == 400
    assert not any(compat.is_enrolled(u, PAID_DEMO_COURSE_KEY) for u in get_user_model().objects.all())
    checkout = signed_in(wangwu).get(f"/xueshi/payments/checkout/{PAID_DEMO_COURSE_KEY}/", **ZH)
    assert checkout.status_code == 200 and "对公转账" in checkout.content.decode()
