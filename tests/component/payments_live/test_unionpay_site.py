"""UnionPay online banking (网银) through the site: checkout → the order page's signed form → the
sandbox cashier's 确认支付 → the signed back notice reaches the site's notify endpoint and the
signed front return (a form POST, without the session cookie) is verified and followed by a query
→ paid, enrolled once; duplicates race the return; a forged notice is refused; an operator's refund
is accepted, notified and unenrols. ADR 0164."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
import requests
from django.test import Client

from sandbox.unionpay import acp, pki
from sandbox.unionpay.server import UnionPaySandbox
from tests.component.payments_unionpay.conftest import controls, hidden_form, post, press_pay
from xueshi_payments import states
from xueshi_payments.channels import base, registry
from xueshi_payments.channels.unionpay_config import TxnTimes
from xueshi_payments.models import OrderTransition, ProviderEvent, Refund

from .conftest import PC, PHONE, checkout, enrolments, pay_through_unionpay, state_of, wait_until


@pytest.fixture
def union_site(
    live_server: Any,
    transactional_db: Any,
    settings: Any,
    unionpay_server: UnionPaySandbox,
    unionpay_pki: dict[str, Any],
    tmp_path: Path,
) -> Any:
    """The live site offering 网银 through the sandbox gateway, notices to its own endpoint."""
    pay_through_unionpay(settings, live_server.url, unionpay_server, unionpay_pki, tmp_path)
    return live_server


def open_cashier(buyer: Any, course: str, headers: dict[str, str]) -> tuple[Any, str]:
    order, cashier, _fields = open_cashier_with_form(buyer, course, headers)
    return order, cashier


def open_cashier_with_form(
    buyer: Any, course: str, headers: dict[str, str]
) -> tuple[Any, str, dict[str, str]]:
    """Checkout with 网银; the order page's auto-submitting form, posted as the browser does."""
    order, response = checkout(buyer, course, "unionpay", headers)
    assert response["Location"] == f"/xueshi/payments/orders/{order.order_no}/?pay=1"
    page = buyer.get(response["Location"], **headers).content.decode()
    assert 'data-auto-submit="1"' in page and "xueshi_payments/autosubmit.js" in page
    assert "<script>" not in page.split('id="pay-form"')[1].split("</div>")[0]  # no inline script
    action, fields = hidden_form(page.split('id="pay-form-card"')[1])
    assert action.endswith("/gateway/api/frontTransReq.do") and fields["orderId"] == order.order_no
    return order, post(action, fields), fields


def front_return(cashier: str, sandbox: UnionPaySandbox) -> tuple[str, str]:
    """Press 确认支付; the path and body of the signed form the bank's page posts back."""
    url, fields = hidden_form(press_pay(sandbox, cashier))
    return urlsplit(url).path, urlencode(fields)


def test_paid_by_the_notice_enrolled_once_and_checkout_never_restarts(
    union_site: Any, unionpay_server: UnionPaySandbox, buyer: Any, paid_course: str
) -> None:
    order, cashier = open_cashier(buyer, paid_course, PHONE)
    assert order.scene == base.H5 and "¥30.00" in cashier
    front_return(cashier, unionpay_server)  # the payer closes the page: only the notice tells
    wait_until(lambda: state_of(order) == states.FULFILLED)
    assert enrolments(paid_course) == 1
    notices = unionpay_server.gateway.notifier.notices
    wait_until(lambda: all(n.delivered for n in notices))
    assert [o for n in notices for _, o in n.attempts] == ["delivered 200"]
    # Checking out again for a paid course starts nothing at UnionPay.
    again = buyer.post(f"/xueshi/payments/checkout/{paid_course}/", {"channel": "unionpay"}, **PC)
    assert again.status_code == 409
    assert sum(1 for e in unionpay_server.gateway.received if e.get("api") == "frontTransReq") == 1


def test_duplicate_notices_racing_the_front_return_pay_once(
    union_site: Any, unionpay_server: UnionPaySandbox, buyer: Any, paid_course: str
) -> None:
    controls(unionpay_server, duplicate=1, notify_delay=1.0)  # the return first, then two notices
    order, cashier, form = open_cashier_with_form(buyer, paid_course, PC)
    assert order.scene == base.PAGE
    # The order keeps UnionPay's txnTime (ADR 0165): with Redis's copy gone, the query still finds it.
    order.refresh_from_db()
    assert order.provider_sent_at == form["txnTime"]
    channel = registry.get("unionpay")
    assert channel.txn_times.redis.delete(TxnTimes.PREFIX + order.order_no) == 1  # type: ignore[attr-defined]
    again = channel.start(
        base.PaymentRequest(
            order_no=order.order_no,
            amount_fen=order.amount_fen,
            description=order.title,
            expires_at=order.expires_at,
            notify_url=f"{union_site.url}/xueshi/payments/notify/unionpay/",
            return_url="",
            client_ip="127.0.0.1",
            scene=base.PAGE,
            sent_at=order.provider_sent_at,
        )
    )
    assert again.params["txnTime"] == form["txnTime"]  # a restart is the same transaction
    channel.txn_times.redis.delete(TxnTimes.PREFIX + order.order_no)  # type: ignore[attr-defined]
    path, body = front_return(cashier, unionpay_server)
    assert path == f"/xueshi/payments/orders/{order.order_no}/return/"
    # The bank's page posts cross-site: no session cookie comes with it (a fresh client), twice.
    answers: list[Any] = []

    def post_back() -> None:
        answers.append(Client().post(path, body, content_type="application/x-www-form-urlencoded"))

    racing = [threading.Thread(target=post_back) for _ in range(2)]
    for thread in racing:
        thread.start()
    for thread in racing:
        thread.join()
    assert [a.status_code for a in answers] == [303, 303]
    assert answers[0]["Location"] == f"/xueshi/payments/orders/{order.order_no}/"
    assert state_of(order) == states.FULFILLED  # the verified return's query paid it
    notices = unionpay_server.gateway.notifier.notices
    wait_until(lambda: len(notices) == 2 and all(n.delivered for n in notices))
    assert ProviderEvent.objects.filter(order=order, event_id__endswith=":paid").count() == 1
    assert OrderTransition.objects.filter(order=order, to_state=states.PAID).count() == 1
    assert enrolments(paid_course) == 1
    page = buyer.get(answers[0]["Location"], **PC).content.decode()
    assert "已支付，已选课" in page and 'id="pay-form"' not in page


def test_forged_notices_and_returns_change_nothing(
    union_site: Any,
    unionpay_server: UnionPaySandbox,
    unionpay_pki: dict[str, Any],
    buyer: Any,
    paid_course: str,
) -> None:
    controls(unionpay_server, lose=8)  # the genuine notice never arrives
    order, cashier = open_cashier(buyer, paid_course, PC)
    path, body = front_return(cashier, unionpay_server)
    genuine = unionpay_server.gateway.notifier.notices[0].params
    forger = unionpay_pki["forger"].signer
    unsigned = {k: v for k, v in genuine.items() if k != "signature"}
    forged = {**unsigned, "signPubKeyCert": pki.pem(forger.cert)}
    forged["signature"] = acp.sign(forger.key, forged)
    notify = f"{union_site.url}/xueshi/payments/notify/unionpay/"
    reply = requests.post(notify, data=forged, timeout=10)
    assert (reply.status_code, reply.text) == (400, "rejected")
    tampered = requests.post(notify, data={**genuine, "txnAmt": "1"}, timeout=10)
    assert tampered.status_code == 400
    assert state_of(order) == states.PENDING and not ProviderEvent.objects.exists()
    # A forged front return goes on to the order page but asks UnionPay nothing.
    queries = sum(1 for e in unionpay_server.gateway.received if e.get("api") == "queryTrans")
    bad = Client().post(path, urlencode(forged), content_type="application/x-www-form-urlencoded")
    assert bad.status_code == 303 and state_of(order) == states.PENDING
    assert sum(1 for e in unionpay_server.gateway.received if e.get("api") == "queryTrans") == queries
    good = Client().post(path, body, content_type="application/x-www-form-urlencoded")
    assert good.status_code == 303 and state_of(order) == states.FULFILLED


def test_an_operators_full_refund_is_notified_once_and_unenrols(
    union_site: Any, unionpay_server: UnionPaySandbox, buyer: Any, operator: Any, paid_course: str
) -> None:
    controls(unionpay_server, refund_delay=0.3)
    order, cashier = open_cashier(buyer, paid_course, PC)
    front_return(cashier, unionpay_server)
    wait_until(lambda: state_of(order) == states.FULFILLED)
    act = f"/xueshi/payments/manage/{order.order_no}/act/"
    reply = operator.post(act, {"action": "refund", "amount": "30.00", "reason": "学员申请退课"}, **PC)
    assert reply.status_code == 302
    refund = Refund.objects.get(order=order)
    assert refund.state == Refund.PROCESSING  # ACP accepts a refund, then notifies its result
    wait_until(lambda: state_of(order) == states.REFUNDED)
    refund.refresh_from_db()
    assert refund.state == Refund.SUCCEEDED and enrolments(paid_course) == 0
    event = ProviderEvent.objects.get(order=order, kind=base.REFUND_SUCCEEDED)
    assert event.refund_no == refund.refund_no
    assert OrderTransition.objects.filter(order=order, to_state=states.REFUNDED).count() == 1


def test_a_refunds_txn_time_is_kept_on_the_refund_and_its_query_survives_a_lost_redis_key(
    union_site: Any, unionpay_server: UnionPaySandbox, buyer: Any, operator: Any, paid_course: str
) -> None:
    order, cashier = open_cashier(buyer, paid_course, PC)
    front_return(cashier, unionpay_server)
    wait_until(lambda: state_of(order) == states.FULFILLED)
    controls(unionpay_server, refund_delay=0.3, lose=50)  # the refund's notices never arrive
    act = f"/xueshi/payments/manage/{order.order_no}/act/"
    operator.post(act, {"action": "refund", "amount": "30.00", "reason": "学员申请退课"}, **PC)
    refund = Refund.objects.get(order=order)
    assert refund.state == Refund.PROCESSING and len(refund.provider_sent_at) == 14  # YYYYMMDDhhmmss
    channel = registry.get("unionpay")
    kept = channel.txn_times.recall(refund.refund_no)  # type: ignore[attr-defined]
    assert kept and kept[0] == refund.provider_sent_at
    channel.txn_times.redis.delete(TxnTimes.PREFIX + refund.refund_no)  # type: ignore[attr-defined]
    from xueshi_payments import refunds

    # Without the row's txnTime the query could not find the refund and it would stay "processing".
    wait_until(lambda: refunds.send_refund(refund.refund_no) == Refund.SUCCEEDED)
    assert state_of(order) == states.REFUNDED and enrolments(paid_course) == 0
    refunds_sent = [t for t in unionpay_server.gateway.txns.values() if t.txn_type == "04"]
    assert len(refunds_sent) == 1
