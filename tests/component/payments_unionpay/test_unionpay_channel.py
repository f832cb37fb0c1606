"""The UnionPay (ACP 5.1.0) channel against the sandbox gateway, over real HTTP.

A payer pays on the bank cashier, the gateway's signed notice reaches a notify endpoint that uses
the channel, the browser comes back with a signed form, and queries and refunds are answered by
the gateway. Forged, re-signed, foreign and tampered notices are refused with their own codes.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import replace
from datetime import timedelta
from urllib.parse import urlencode

import pytest

from sandbox.unionpay import acp, pki
from sandbox.unionpay.state import now as beijing_now
from xueshi_payments.channels.base import H5, PAID, REFUND_SUCCEEDED, ChannelError, NoticeRejected
from xueshi_payments.channels.unionpay import UnionPayChannel
from xueshi_payments.channels.unionpay_signing import CertificateRefused, unionpay_key

from .conftest import MER_ID, config_for, controls, hidden_form, pay_request, post, press_pay

pytestmark = [pytest.mark.component]


def pay(channel, sandbox, receiver, order_no, amount_fen, scene="page"):
    """Start, post the form, press 确认支付, post the return form back; returns the verified return."""
    action = channel.start(pay_request(receiver, order_no, amount_fen, scene))
    assert action.kind == "form" and action.url == sandbox.base_url + "/gateway/api/frontTransReq.do"
    back_url, fields = hidden_form(press_pay(sandbox, post(action.url, dict(action.params))))
    post(back_url, fields)
    return receiver.returned[-1]


def test_pay_notice_front_return_and_query(channel, sandbox, receiver):
    action = channel.start(pay_request(receiver, "XS20261204U1", 1234))
    params = dict(action.params)
    assert (params["txnType"], params["bizType"], params["channelType"], params["txnAmt"]) == (
        "01",
        "000201",
        "07",
        "1234",
    )
    cashier = post(action.url, params)
    assert "¥12.34" in cashier and "确认支付" in cashier
    back_url, fields = hidden_form(press_pay(sandbox, cashier))
    assert back_url == receiver.url.replace("/notify/", "/return/")
    post(back_url, fields)
    assert receiver.returned[0]["orderId"] == "XS20261204U1" and receiver.returned[0]["respCode"] == "00"

    receiver.wait_for(lambda r: r.events)
    event = receiver.events[0]
    assert (event.kind, event.order_no, event.amount_fen, event.merchant_id) == (
        PAID,
        "XS20261204U1",
        1234,
        MER_ID,
    )
    assert event.event_id == f"{fields['queryId']}:paid" and event.occurred_at is not None
    status = channel.query("XS20261204U1")
    assert (status.state, status.amount_fen, status.provider_trade_no) == ("paid", 1234, fields["queryId"])

    # Checkout opened again: the same orderId and txnTime, so UnionPay refuses a second payment.
    again = channel.start(pay_request(receiver, "XS20261204U1", 1234))
    assert again.params["txnTime"] == params["txnTime"]
    with pytest.raises(urllib.error.HTTPError) as refused:
        post(again.url, dict(again.params))
    assert refused.value.code == 400 and "重复交易" in refused.value.read().decode()

    time.sleep(0.3)  # past the first resend: a notice answered 200 is not sent again
    assert [len(n.attempts) for n in sandbox.gateway.notifier.notices] == [1]
    page = urllib.request.urlopen(sandbox.base_url + "/sandbox/").read().decode()
    assert "XS20261204U1" in page and "queryTrans" in page and "delivered" in page


def test_notices_are_resent_until_200_or_302_and_duplicates_are_one_event(channel, sandbox, receiver):
    receiver.fail_first = 2
    pay(channel, sandbox, receiver, "XS20261204N1", 500, H5)
    receiver.wait_for(lambda r: r.events)
    assert receiver.statuses[-3:] == [400, 400, 200]
    receiver.wait_for(
        lambda r: sandbox.gateway.notifier.notices[0].delivered
    )  # the sandbox logs after the reply
    assert [len(n.attempts) for n in sandbox.gateway.notifier.notices] == [3]

    receiver.redirect = True
    controls(sandbox, duplicate=1, lose=1)
    pay(channel, sandbox, receiver, "XS20261204N2", 600)
    receiver.wait_for(lambda r: len(r.events) == 3)
    time.sleep(0.4)
    copies = [e for e in receiver.events if e.order_no == "XS20261204N2"]
    assert len(copies) == 2 and copies[0].event_id == copies[1].event_id
    latest = sandbox.gateway.notifier.notices[1:]
    assert all(n.delivered for n in latest) and any(o == "lost" for n in latest for _, o in n.attempts)
    assert any(o == "delivered 302" for n in latest for _, o in n.attempts)


def test_forged_foreign_and_tampered_notices_are_refused(channel, sandbox, receiver, pki_set):
    pay(channel, sandbox, receiver, "XS20261204F1", 9900)
    receiver.wait_for(lambda r: r.events)
    genuine = sandbox.gateway.notifier.notices[0].params
    unsigned = {k: v for k, v in genuine.items() if k != "signature"}

    def signed_by(issued, params):
        data = {**params, "signPubKeyCert": pki.pem(issued.cert)}
        return {**data, "signature": acp.sign(issued.key, data)}

    def body(params):
        return urlencode(params).encode()

    unionpay = sandbox.gateway.signed
    cases = {
        "signed by another key, UnionPay's certificate": (
            {**genuine, "signature": acp.sign(pki_set["forger"].signer.key, unsigned)},
            "bad_signature",
        ),
        "amount tampered": ({**genuine, "txnAmt": "1"}, "bad_signature"),
        "a look-alike chain with its own root": (
            signed_by(pki_set["forger"].signer, unsigned),
            "untrusted_certificate",
        ),
        "chained, but a merchant's certificate": (
            signed_by(pki_set["other"], unsigned),
            "not_unionpay_certificate",
        ),
        "certificate field garbage": ({**genuine, "signPubKeyCert": "x"}, "bad_certificate"),
        "no signature": (unsigned, "missing_signature"),
        "another merchant, signed by UnionPay": (
            unionpay({**unsigned, "merId": "777290058110049"}),
            "wrong_mer_id",
        ),
        "failed payment, signed by UnionPay": (unionpay({**unsigned, "respCode": "01"}), "ignored_status"),
        "malformed amount, signed by UnionPay": (unionpay({**unsigned, "txnAmt": "99.00"}), "bad_amount"),
    }
    codes = {}
    for name, (params, _) in cases.items():
        with pytest.raises(NoticeRejected) as rejected:
            channel.parse_notice({}, body(params))
        codes[name] = rejected.value.code
    assert codes == {name: code for name, (_, code) in cases.items()}
    with pytest.raises(NoticeRejected, match="malformed"):
        channel.parse_notice({}, body(genuine) + b"&txnAmt=1")
    assert channel.parse_notice({}, body(genuine)).kind == PAID
    lf_signed = signed_by(pki_set["chain"].signer, unsigned)  # LF line ends, as pki.pem writes them
    as_a_browser_posts_it = {**lf_signed, "signPubKeyCert": lf_signed["signPubKeyCert"].replace("\n", "\r\n")}
    assert channel.verified(as_a_browser_posts_it)["orderId"] == "XS20261204F1"

    chain = pki_set["chain"]
    test_env = pki.issue("041@Z20260101@00040000:SIGN@00000001", chain.middle)  # UnionPay's test CN
    with pytest.raises(CertificateRefused, match="not_unionpay_certificate"):
        unionpay_key(pki.pem(test_env.cert), chain.middle.cert, chain.root.cert)
    assert unionpay_key(pki.pem(test_env.cert), chain.middle.cert, chain.root.cert, accept_test_cn=True)
    expired = pki.issue(pki.UNIONPAY_SIGN_CN, chain.middle, days=0)
    with pytest.raises(CertificateRefused, match="expired_certificate"):
        unionpay_key(pki.pem(expired.cert), chain.middle.cert, chain.root.cert)
    assert channel.notice_reply(False)[0] not in (200, 302)  # a refused notice must be resent


def test_query_close_and_gateway_refusals(channel, sandbox, receiver, pki_set, tmp_path, txn_times):
    assert channel.query("XS20261204NEVER").state == "unpaid"
    channel.close("XS20261204NEVER")
    action = channel.start(pay_request(receiver, "XS20261204Q1", 800))
    cashier = post(action.url, dict(action.params))
    assert channel.query("XS20261204Q1").state == "unpaid"
    channel.close("XS20261204Q1")  # ACP has no close: payTimeout ends it; nothing to refuse yet

    controls(sandbox, fail={"queryTrans": 1})
    with pytest.raises(ChannelError) as busy:
        channel.query("XS20261204Q1")
    assert busy.value.code == "06" and busy.value.retryable

    press_pay(sandbox, cashier)
    assert channel.query("XS20261204Q1").state == "paid"
    with pytest.raises(ChannelError) as paid:
        channel.close("XS20261204Q1")
    assert paid.value.code == "already_paid" and not paid.value.retryable

    unknown_cert = UnionPayChannel(
        config_for(sandbox, pki_set, tmp_path / "u", merchant="unregistered"), txn_times
    )
    with pytest.raises(ChannelError) as refused:
        unknown_cert.query("XS20261204Q1")
    assert refused.value.code == "11" and not refused.value.retryable

    forger = pki_set["forger"]
    trusts_another_root = replace(
        config_for(sandbox, pki_set, tmp_path / "r"),
        root_cert=forger.root.cert,
        middle_cert=forger.middle.cert,
    )
    distrustful = UnionPayChannel(trusts_another_root, txn_times)
    with pytest.raises(ChannelError) as untrusted:
        distrustful.query("XS20261204Q1")
    assert untrusted.value.code == "untrusted_certificate"

    down = UnionPayChannel(
        config_for(sandbox, pki_set, tmp_path / "d", GATEWAY="http://127.0.0.1:9"), txn_times
    )
    with pytest.raises(ChannelError) as network:
        down.query("XS20261204Q1")
    assert network.value.code == "network" and network.value.retryable


def test_partial_refund_then_the_rest_and_a_retried_refund_is_not_a_second_one(channel, sandbox, receiver):
    pay(channel, sandbox, receiver, "XS20261204R1", 10000)
    receiver.wait_for(lambda r: r.events)
    controls(sandbox, refund_delay=0.5)
    first = channel.refund("XS20261204R1", "XS20261204R1RF1", 3000, 10000, "学员申请退课")
    assert first.state == "processing", first.raw
    assert channel.query_refund("XS20261204R1", "XS20261204R1RF1").state == "processing"
    receiver.wait_for(lambda r: any(e.kind == REFUND_SUCCEEDED for e in r.events))
    assert channel.query_refund("XS20261204R1", "XS20261204R1RF1").state == "succeeded"
    again = channel.refund("XS20261204R1", "XS20261204R1RF1", 3000, 10000, "学员申请退课")
    assert again.state == "succeeded"  # sent again: UnionPay says 12 (duplicate), the query says done
    refunds = [t for t in sandbox.gateway.txns.values() if t.txn_type == "04"]
    assert [t.amount_fen for t in refunds] == [3000]

    controls(sandbox, refund_delay=0)
    assert channel.refund("XS20261204R1", "XS20261204R1RF2", 7001, 10000, "超额").state == "failed"
    assert channel.refund("XS20261204R1", "XS20261204R1RF2", 7000, 10000, "退余款").state == "processing"
    receiver.wait_for(lambda r: sum(e.kind == REFUND_SUCCEEDED for e in r.events) == 2)
    events = {e.refund_no: e for e in receiver.events if e.kind == REFUND_SUCCEEDED}
    assert {k: (e.order_no, e.amount_fen) for k, e in events.items()} == {
        "XS20261204R1RF1": ("XS20261204R1", 3000),
        "XS20261204R1RF2": ("XS20261204R1", 7000),
    }
    assert channel.query_refund("XS20261204R1", "XS20261204R1NOTSENT").state == "processing"
    assert channel.refund("XS20261204NEVER", "XS20261204NEVERRF", 1, 1, "").state == "failed"
    with pytest.raises(ChannelError):
        channel.refund("XS20261204R1", "XS20261204R1RF3", 0, 10000, "")
    with pytest.raises(ChannelError):
        channel.start(pay_request(receiver, "XS-2026", 100))  # ACP orderId: letters and digits only


def test_settings_come_from_the_environment_with_keys_in_files(tmp_path):
    from sandbox.unionpay import site
    from xueshi_payments.channels.unionpay_config import UnionPayConfig, settings_from_env

    values = site.site_settings("http://127.0.0.1:1", var=tmp_path)
    env = {f"XUESHI_UNIONPAY_{key}": value for key, value in values.items()} | {"XUESHI_OTHER": "x"}
    config = UnionPayConfig.from_mapping(settings_from_env(env))
    assert (config.mer_id, config.gateway) == (site.DEMO_MER_ID, "http://127.0.0.1:1")
    assert config.sign_cert.serial_number == site.demo_merchant(tmp_path).cert.serial_number
    assert (tmp_path / "merchant_sign.pfx").stat().st_mode & 0o077 == 0
    with pytest.raises(ValueError, match="ROOT_CERT_PATH"):
        UnionPayConfig.from_mapping({k: v for k, v in values.items() if k != "ROOT_CERT_PATH"})


def test_reconciliation_file_lists_payments_and_refunds(channel, sandbox, receiver):
    pay(channel, sandbox, receiver, "XS20261204B1", 1234)
    pay(channel, sandbox, receiver, "XS20261204B2", 5000)
    assert channel.refund("XS20261204B2", "XS20261204B2RF", 1000, 5000, "部分退款").state == "processing"
    receiver.wait_for(lambda r: any(e.kind == REFUND_SUCCEEDED for e in r.events))
    today = beijing_now().date()
    with pytest.raises(ChannelError) as not_yet:
        channel.download_bill(today)  # a settlement day's file comes the next day
    assert not_yet.value.code == "98" and not not_yet.value.retryable

    controls(sandbox, bill_today=True)
    lines = channel.download_bill(today)
    paid = {t.order_id: t.query_id for t in sandbox.gateway.txns.values()}
    seen = sorted((b.kind, b.order_no, b.refund_no, b.amount_fen, b.provider_trade_no) for b in lines)
    assert seen == [
        ("payment", "XS20261204B1", "", 1234, paid["XS20261204B1"]),
        ("payment", "XS20261204B2", "", 5000, paid["XS20261204B2"]),
        ("refund", "", "XS20261204B2RF", 1000, paid["XS20261204B2"]),
    ]
    assert all(b.occurred_at.date() == today for b in lines)


def test_an_unpaid_order_cannot_be_paid_after_its_pay_timeout(channel, sandbox, receiver):
    request = replace(
        pay_request(receiver, "XS20261204E1", 700), expires_at=beijing_now() + timedelta(seconds=2)
    )
    action = channel.start(request)
    cashier = post(action.url, dict(action.params))
    time.sleep(2.2)
    with pytest.raises(urllib.error.HTTPError) as refused:
        press_pay(sandbox, cashier)
    assert refused.value.code == 409 and "39" in refused.value.read().decode()
    assert channel.query("XS20261204E1").state == "unpaid"
    channel.close("XS20261204E1")  # nothing to close at UnionPay; it refuses payment by itself
    assert not receiver.events
