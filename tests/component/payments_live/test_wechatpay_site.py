"""WeChat Pay through the site: checkout → the sandbox's payer pays → its signed notice reaches the
site's notify endpoint → paid, enrolled once; duplicates and the browser's active query race it;
a wrong amount needs attention; a forged notice changes nothing; an operator's refund comes back
as a refund notice and unenrols."""

from __future__ import annotations

import json
import re
import threading
import time
from typing import Any

import requests

from sandbox.wechatpay.server import WeChatPaySandbox
from xueshi_payments import states
from xueshi_payments.channels import base, registry
from xueshi_payments.models import Order, OrderTransition, ProviderEvent, Refund

from .conftest import PC, PHONE, checkout, enrolments, post_form, state_of, wait_until

WECHAT_UA = {**PHONE, "HTTP_USER_AGENT": PHONE["HTTP_USER_AGENT"] + " MicroMessenger/8.0.50"}


def inline_scripts(page: str) -> list[str]:
    """``<script>`` elements that carry code in the page (JSON data blocks and files are fine)."""
    tags = re.findall(r"<script\b([^>]*)>(.*?)</script>", page, re.S)
    return [body for attrs, body in tags if body.strip() and "application/json" not in attrs]


def pay_in_sandbox(sandbox: WeChatPaySandbox, code_url: str, extra: dict[str, str] | None = None) -> None:
    status, _body = post_form(sandbox.payer_url(code_url), extra or {})
    assert status in (200, 302), _body


def test_native_checkout_pays_through_the_notice_and_enrols_once(
    site: Any, wechat_server: WeChatPaySandbox, buyer: Any, paid_course: str
) -> None:
    order, response = checkout(buyer, paid_course, "wechat", PC)
    assert response["Location"] == f"/xueshi/payments/orders/{order.order_no}/"
    page = buyer.get(response["Location"], **PC).content.decode()
    assert order.scene == base.NATIVE and "<svg" in page and 'id="pay-qr"' in page  # segno's QR
    code_url = pay_url(order)
    assert code_url.startswith("weixin://wxpay/bizpayurl?pr=")
    assert state_of(order) == states.PENDING and enrolments(paid_course) == 0
    # `make sandbox` on a PC: the sandbox's own page links the unpaid trade's payer page.
    listing = requests.get(wechat_server.base_url + "/sandbox/", timeout=10).text
    assert order.order_no in listing and f'href="/pay/{code_url.rsplit("pr=", 1)[-1]}"' in listing

    pay_in_sandbox(wechat_server, code_url)
    wait_until(lambda: state_of(order) == states.FULFILLED)
    assert enrolments(paid_course) == 1
    event = ProviderEvent.objects.get(order=order, kind=base.PAID)
    assert event.provider == "wechat" and event.amount_fen == 3000 and event.outcome == "paid"
    # The notice that reached the site is the one the sandbox sent to our notify URL, answered 204.
    sent = [n for n in wechat_server.notifier.sent if n.event_type == "TRANSACTION.SUCCESS"]
    assert sent[-1].url == f"{site.url}/xueshi/payments/notify/wechat/" and "204" in sent[-1].attempts
    status = buyer.get(f"/xueshi/payments/orders/{order.order_no}/state.json", **PC).json()
    assert status["state"] == states.FULFILLED and status["label"] == "已支付，已选课"


def pay_url(order: Any) -> str:
    order.refresh_from_db()
    return str(order.pay_action["url"])


def test_duplicated_notices_racing_the_returning_browser_pay_and_enrol_once(
    site: Any, wechat_server: WeChatPaySandbox, buyer: Any, paid_course: str
) -> None:
    order, _response = checkout(buyer, paid_course, "wechat", PC)
    wechat_server.controls.duplicate = 3  # four copies of the notice, sent independently
    pay_in_sandbox(wechat_server, pay_url(order))
    # Meanwhile the payer's browser polls: each call may query WeChat Pay and apply what it says.
    pollers = [
        threading.Thread(target=buyer.get, args=(f"/xueshi/payments/orders/{order.order_no}/",), kwargs=PC)
        for _ in range(3)
    ]
    for thread in pollers:
        thread.start()
    for thread in pollers:
        thread.join()
    wait_until(lambda: state_of(order) == states.FULFILLED)
    wait_until(lambda: len([n for n in wechat_server.notifier.sent if n.attempts]) >= 4)
    time.sleep(0.3)  # let late copies land
    assert enrolments(paid_course) == 1
    paid = OrderTransition.objects.filter(order=order, to_state=states.PAID)
    assert paid.count() == 1
    assert ProviderEvent.objects.filter(order=order, kind=base.PAID, outcome="paid").count() == 1


def test_a_notice_whose_amount_differs_needs_attention(
    site: Any, wechat_server: WeChatPaySandbox, buyer: Any, paid_course: str
) -> None:
    from tests.component.payments.conftest import order_for

    order = order_for(buyer_user(buyer), paid_course, "wechat")  # frozen, not yet prepaid at WeChat Pay
    # A prepay for our order number with another amount (a tampered or foreign request): paid 0.01.
    action = registry.get("wechat").start(
        base.PaymentRequest(
            order_no=order.order_no,
            amount_fen=1,
            description=order.title,
            expires_at=order.expires_at,
            notify_url=f"{site.url}/xueshi/payments/notify/wechat/",
            return_url="",
            client_ip="127.0.0.1",
            scene=base.NATIVE,
        )
    )
    pay_in_sandbox(wechat_server, action.url)
    wait_until(lambda: state_of(order) == states.ATTENTION)
    order.refresh_from_db()
    assert order.attention_reason == "amount 1 fen, order 3000 fen" and enrolments(paid_course) == 0


def test_a_forged_notice_gets_the_failure_reply_and_changes_nothing(
    site: Any, buyer: Any, paid_course: str
) -> None:
    order, _response = checkout(buyer, paid_course, "wechat", PC)
    body = json.dumps({"id": "forged", "event_type": "TRANSACTION.SUCCESS", "resource": {}}).encode()
    headers = {
        "Content-Type": "application/json",
        "Wechatpay-Timestamp": str(int(time.time())),
        "Wechatpay-Nonce": "n" * 32,
        "Wechatpay-Serial": site_settings_public_key_id(),
        "Wechatpay-Signature": "Zm9yZ2Vk" * 43,
    }
    url = f"{site.url}/xueshi/payments/notify/wechat/"
    reply = requests.post(url, data=body, headers=headers, timeout=10)
    assert reply.status_code == 400 and reply.json()["code"] == "FAIL"
    assert state_of(order) == states.PENDING and not ProviderEvent.objects.exists()


def buyer_user(client: Any) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="qian_buyer")


def site_settings_public_key_id() -> str:
    from django.conf import settings

    return str(settings.XUESHI_WECHATPAY["PUBLIC_KEY_ID"])


def test_an_operators_full_refund_comes_back_as_a_refund_notice_and_unenrols(
    site: Any, wechat_server: WeChatPaySandbox, buyer: Any, operator: Any, paid_course: str
) -> None:
    order, _response = checkout(buyer, paid_course, "wechat", PC)
    pay_in_sandbox(wechat_server, pay_url(order))
    wait_until(lambda: state_of(order) == states.FULFILLED)
    wechat_server.controls.refund_seconds = 100  # PROCESSING for 0.1 s, then the REFUND.SUCCESS notice
    act = f"/xueshi/payments/manage/{order.order_no}/act/"
    reply = operator.post(act, {"action": "refund", "amount": "30", "reason": "学员申请退课"}, **PC)
    assert reply.status_code == 302
    refund = Refund.objects.get(order=order)
    assert refund.state == Refund.PROCESSING  # WeChat Pay answered "processing"; the notice finishes it
    wait_until(lambda: state_of(order) == states.REFUNDED)
    event = ProviderEvent.objects.get(order=order, kind=base.REFUND_SUCCEEDED)
    assert event.refund_no == refund.refund_no and event.outcome == "refund_succeeded"
    assert enrolments(paid_course) == 0


def test_a_phone_browser_gets_h5_and_wechats_browser_gets_the_jsapi_sheet(
    site: Any, wechat_server: WeChatPaySandbox, buyer: Any, paid_course: str
) -> None:
    order, response = checkout(buyer, paid_course, "wechat", PHONE)
    assert order.scene == base.H5 and response["Location"].startswith(wechat_server.base_url + "/pay/")
    assert "redirect_url=" in response["Location"]  # the payer comes back to the order page

    # Inside WeChat: the silent authorisation first (the sandbox plays WeChat), then the JSAPI sheet.
    Order.objects.filter(pk=order.pk).update(state=states.CLOSED)  # free the product for a new order
    order, response = checkout(buyer, paid_course, "wechat", WECHAT_UA)
    assert order.scene == base.JSAPI and "/connect/oauth2/authorize?" in response["Location"]
    back = requests.get(response["Location"], allow_redirects=False, timeout=10).headers["Location"]
    assert back.startswith(f"http://testserver/xueshi/payments/orders/{order.order_no}/wechat-openid/?code=")
    forged = re.sub(r"state=[^&]+", "state=forged", back)
    assert buyer.get(forged, **WECHAT_UA).status_code == 400  # not the state this session was given

    _same, response = checkout(buyer, paid_course, "wechat", WECHAT_UA)  # the open order, started again
    assert _same.pk == order.pk and "/connect/oauth2/authorize?" in response["Location"]
    back = requests.get(response["Location"], allow_redirects=False, timeout=10).headers["Location"]
    response = buyer.get(back, **WECHAT_UA)
    assert response.status_code == 302
    assert response["Location"] == f"/xueshi/payments/orders/{order.order_no}/"
    order.refresh_from_db()
    params = order.pay_action["params"]
    assert order.pay_action["kind"] == "jsapi" and params["package"].startswith("prepay_id=")
    assert params["appId"] == wechat_server.keys.appid and params["signType"] == "RSA" and params["paySign"]
    page = buyer.get(response["Location"], **WECHAT_UA).content.decode()
    assert "xueshi_payments/order.js" in page and 'id="jsapi-params"' in page
    assert inline_scripts(page) == []  # CSP "script-src 'self'": behaviour comes from static files
    # WeChat Pay's pay sheet (the sandbox's page for the prepay id) pays it; the notice enrols.
    pay_in_sandbox(wechat_server, params["package"].removeprefix("prepay_id="))
    wait_until(lambda: state_of(order) == states.FULFILLED)
    assert enrolments(paid_course) == 1
