"""Alipay through the site: checkout → the sandbox cashier's 确认付款 → the signed notice reaches the
site's notify endpoint and the signed return comes back to the order page → paid, enrolled once;
duplicates race the return's active query; a wrong amount needs attention; a forged notice is
answered ``failure``; an operator's refund is answered and notified → refunded and unenrolled."""

from __future__ import annotations

import re
import threading
import urllib.request
from typing import Any
from urllib.parse import urlsplit

import requests

from sandbox.alipay import signing
from sandbox.alipay.server import AlipaySandbox
from xueshi_payments import states
from xueshi_payments.channels import base, registry
from xueshi_payments.models import Order, OrderTransition, ProviderEvent, Refund

from .conftest import (
    ALIPAY_APP_ID,
    ALIPAY_SELLER_ID,
    PC,
    PHONE,
    checkout,
    enrolments,
    post_form,
    state_of,
    wait_until,
)


def cashier_pays(sandbox: AlipaySandbox, gateway_url: str) -> str:
    """The payer's browser opens the cashier and presses 确认付款; the return URL it is sent to."""
    with urllib.request.urlopen(gateway_url, timeout=10) as response:
        html = response.read().decode("utf-8")
    assert "确认付款" in html
    trade_no = re.search(r'name="trade_no" value="([0-9]+)"', html)
    assert trade_no, html
    status, location = post_form(sandbox.base_url + "/sandbox/cashier/pay", {"trade_no": trade_no.group(1)})
    assert status == 302 or (status == 200 and "付款成功" in location), location
    return location  # the return URL (or the cashier's own 付款成功 page when there is none)


def controls(sandbox: AlipaySandbox, **changes: Any) -> None:
    requests.post(sandbox.base_url + "/sandbox/controls", json=changes, timeout=10).raise_for_status()


def as_path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def test_page_pay_notice_and_signed_return_pay_and_enrol_once(
    site: Any, alipay_server: AlipaySandbox, buyer: Any, paid_course: str
) -> None:
    controls(alipay_server, duplicate=1, notify_delay=2.0)  # the return comes first, then two notices
    order, response = checkout(buyer, paid_course, "alipay", PC)
    assert order.scene == base.PAGE and response["Location"].startswith(alipay_server.gateway_url + "?")
    assert "alipay.trade.page.pay" in response["Location"]
    back = cashier_pays(alipay_server, response["Location"])
    assert back.startswith(f"http://testserver/xueshi/payments/orders/{order.order_no}/?")
    # The browser's return (twice, racing): verified, then an active query → paid before any notice.
    returns = [threading.Thread(target=buyer.get, args=(as_path(back),), kwargs=PC) for _ in range(2)]
    for thread in returns:
        thread.start()
    for thread in returns:
        thread.join()
    assert state_of(order) == states.FULFILLED
    assert not ProviderEvent.objects.filter(order=order, event_id__endswith=":paid").exists()
    # Then both copies of the notice arrive at the notify endpoint: stored once, nothing more.
    notices = alipay_server.gateway.notifier.notices
    wait_until(lambda: len(notices) == 2 and all(n.delivered for n in notices))
    assert ProviderEvent.objects.filter(order=order, event_id__endswith=":paid").count() == 1
    assert enrolments(paid_course) == 1
    assert OrderTransition.objects.filter(order=order, to_state=states.PAID).count() == 1
    assert ProviderEvent.objects.filter(order=order, outcome="paid").count() == 1


def test_a_tampered_return_is_not_believed_and_queries_nothing(
    site: Any, alipay_server: AlipaySandbox, buyer: Any, paid_course: str
) -> None:
    controls(alipay_server, lose=8)  # no notice reaches the site at all
    order, response = checkout(buyer, paid_course, "alipay", PC)
    back = cashier_pays(alipay_server, response["Location"])
    tampered = as_path(back).replace("total_amount=30.00", "total_amount=0.01")
    assert tampered != as_path(back)
    assert buyer.get(tampered, **PC).status_code == 200
    assert state_of(order) == states.PENDING  # a forged return triggers nothing…
    buyer.get(as_path(back), **PC)
    assert state_of(order) == states.FULFILLED  # …the genuine one asks Alipay at once


def test_a_phone_gets_wap_pay_and_a_wrong_amount_needs_attention(
    site: Any, alipay_server: AlipaySandbox, buyer: Any, paid_course: str
) -> None:
    order, response = checkout(buyer, paid_course, "alipay", PHONE)
    assert order.scene == base.WAP and "alipay.trade.wap.pay" in response["Location"]

    from tests.component.payments.conftest import order_for
    from tests.component.payments_live.test_wechatpay_site import buyer_user

    Order.objects.filter(pk=order.pk).update(state=states.CLOSED)
    order = order_for(buyer_user(buyer), paid_course, "alipay")  # frozen, not yet sent to Alipay
    # A cashier request for our order number with another amount (a tampered client): ¥0.01 paid.
    action = registry.get("alipay").start(
        base.PaymentRequest(
            order_no=order.order_no,
            amount_fen=1,
            description=order.title,
            expires_at=order.expires_at,
            notify_url=f"{site.url}/xueshi/payments/notify/alipay/",
            return_url="",
            client_ip="127.0.0.1",
            scene=base.WAP,
        )
    )
    cashier_pays(alipay_server, action.url)
    wait_until(lambda: state_of(order) == states.ATTENTION)
    order.refresh_from_db()
    assert order.attention_reason == "amount 1 fen, order 3000 fen" and enrolments(paid_course) == 0


def test_a_forged_notice_is_answered_failure_and_changes_nothing(
    site: Any, alipay_keys: dict[str, Any], buyer: Any, paid_course: str
) -> None:
    order, _response = checkout(buyer, paid_course, "alipay", PC)
    form = {
        "notify_id": "forged-1",
        "app_id": ALIPAY_APP_ID,
        "seller_id": ALIPAY_SELLER_ID,
        "out_trade_no": order.order_no,
        "trade_no": "2026120422001400000000000002",
        "trade_status": "TRADE_SUCCESS",
        "total_amount": "30.00",
        "sign_type": "RSA2",
    }
    content = signing.sign_content(form, exclude=("sign", "sign_type"), keep_empty=True)
    form["sign"] = signing.sign(alipay_keys["forger"], content)
    reply = requests.post(f"{site.url}/xueshi/payments/notify/alipay/", data=form, timeout=10)
    assert reply.text == "failure"
    assert state_of(order) == states.PENDING and not ProviderEvent.objects.exists()


def test_an_operators_full_refund_is_refunded_notified_once_and_unenrols(
    site: Any, alipay_server: AlipaySandbox, buyer: Any, operator: Any, paid_course: str
) -> None:
    order, response = checkout(buyer, paid_course, "alipay", PC)
    cashier_pays(alipay_server, response["Location"])
    wait_until(lambda: state_of(order) == states.FULFILLED)  # by the notice alone
    act = f"/xueshi/payments/manage/{order.order_no}/act/"
    reply = operator.post(act, {"action": "refund", "amount": "30.00", "reason": "学员申请退课"}, **PC)
    assert reply.status_code == 302
    refund = Refund.objects.get(order=order)
    assert refund.state == Refund.SUCCEEDED and state_of(order) == states.REFUNDED  # Alipay answers at once
    assert enrolments(paid_course) == 0
    # Alipay's refund notice races the synchronous answer: whichever comes second changes nothing.
    wait_until(lambda: ProviderEvent.objects.filter(order=order, kind=base.REFUND_SUCCEEDED).exists())
    event = ProviderEvent.objects.get(order=order, kind=base.REFUND_SUCCEEDED)
    assert event.refund_no == refund.refund_no
    assert event.outcome in ("refund_succeeded", "refund_already_succeeded")
    assert OrderTransition.objects.filter(order=order, to_state=states.REFUNDED).count() == 1
