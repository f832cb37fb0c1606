"""The Alipay channel through python-alipay-sdk against the sandbox gateway, over real HTTP.

A payer pays on the cashier page, the gateway's signed notice reaches a notify endpoint that
uses the channel, and the channel's queries, closes, refunds and bill downloads are answered by
the gateway. Forged, tampered and foreign notices are refused with their own codes.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import replace
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from sandbox.alipay import signing
from sandbox.alipay.state import now as beijing_now
from xueshi_payments.channels.alipay import AlipayChannel
from xueshi_payments.channels.base import (
    CLOSED,
    PAID,
    REFUND_SUCCEEDED,
    WAP,
    ChannelError,
    NoticeRejected,
)

from .conftest import (
    APP_ID,
    OTHER_APP_ID,
    OTHER_SELLER_ID,
    SELLER_ID,
    config_for,
    controls,
    open_cashier,
    pay_request,
    press_pay,
)

pytestmark = [pytest.mark.component]


def pay(channel, sandbox, receiver, order_no, amount_fen, scene="page"):
    """Start, open the cashier, press 确认付款; returns the browser's return URL."""
    action = channel.start(pay_request(receiver, order_no, amount_fen, scene))
    assert action.kind == "redirect" and action.url.startswith(sandbox.gateway_url + "?")
    return press_pay(sandbox, open_cashier(action.url))


def test_page_pay_notice_return_and_query(channel, sandbox, receiver):
    cashier = open_cashier(channel.start(pay_request(receiver, "XS20261204A1", 1234)).url)
    assert "¥12.34" in cashier and "电脑网站支付" in cashier
    location = press_pay(sandbox, cashier)

    back = urlsplit(location)
    assert location.startswith(receiver.url.replace("/notify/", "/return/") + "?")
    returned = channel.verified_form(dict(parse_qsl(back.query)))
    assert (returned["out_trade_no"], returned["total_amount"], returned["seller_id"]) == (
        "XS20261204A1",
        "12.34",
        SELLER_ID,
    )
    with pytest.raises(NoticeRejected):
        channel.verified_form({**dict(parse_qsl(back.query)), "total_amount": "0.01"})

    receiver.wait_for(lambda r: r.events)
    event = receiver.events[0]
    assert (event.kind, event.order_no, event.amount_fen) == (PAID, "XS20261204A1", 1234)
    assert (event.app_id, event.merchant_id, event.provider) == (APP_ID, SELLER_ID, "alipay")
    assert event.event_id == f"{returned['trade_no']}:paid" and event.occurred_at is not None
    assert "notify_id=" in event.raw and receiver.replies == [b"success"]

    status = channel.query("XS20261204A1")
    assert (status.state, status.amount_fen, status.provider_trade_no) == ("paid", 1234, returned["trade_no"])
    time.sleep(0.3)  # past the first retry: a notice answered "success" is not sent again
    notice = sandbox.gateway.notifier.notices[0]
    assert notice.delivered and len(notice.attempts) == 1
    page = urllib.request.urlopen(sandbox.base_url + "/sandbox/").read().decode()
    assert "XS20261204A1" in page and "alipay.trade.query" in page and "delivered" in page


def test_notices_retry_on_alipays_schedule_and_duplicates_are_one_event(channel, sandbox, receiver):
    receiver.fail_first = 2  # our endpoint answers "failure" twice (as after a crash)
    started = time.monotonic()
    pay(channel, sandbox, receiver, "XS20261204W1", 500, WAP)
    receiver.wait_for(lambda r: r.events)
    # 0, then 4 min and 10 min scaled by 0.0005: 0.12 s and 0.30 s later.
    assert time.monotonic() - started >= 0.4
    assert receiver.replies == [b"failure", b"failure", b"success"]
    time.sleep(0.5)
    assert [len(n.attempts) for n in sandbox.gateway.notifier.notices] == [3]

    controls(sandbox, duplicate=1, lose=1)  # the next notice goes out twice; one delivery vanishes
    pay(channel, sandbox, receiver, "XS20261204W2", 600, WAP)
    receiver.wait_for(lambda r: len(r.events) == 3)
    copies = [e for e in receiver.events if e.order_no == "XS20261204W2"]
    assert len(copies) == 2 and copies[0].event_id == copies[1].event_id
    assert any(outcome == "lost" for n in sandbox.gateway.notifier.notices for _, outcome in n.attempts)


def test_forged_tampered_and_foreign_notices_are_refused(channel, sandbox, receiver, keys):
    pay(channel, sandbox, receiver, "XS20261204F1", 9900)
    receiver.wait_for(lambda r: r.events)
    genuine = sandbox.gateway.notifier.notices[0].params

    def body(params):
        return urlencode(params).encode()

    def forged(params):
        content = signing.sign_content(params, exclude=("sign", "sign_type"), keep_empty=True)
        return {**params, "sign": signing.sign(keys["forger"], content)}

    unsigned = {k: v for k, v in genuine.items() if k not in ("sign", "sign_type")}
    cases = {
        "forged by another key": (body(forged(genuine)), "bad_signature"),
        "amount tampered": (body({**genuine, "total_amount": "0.01"}), "bad_signature"),
        "signature not base64": (body({**genuine, "sign": "not-a-signature"}), "bad_signature"),
        "no signature": (body(unsigned), "missing_signature"),
        "RSA (SHA-1) sign_type": (body({**genuine, "sign_type": "RSA"}), "bad_sign_type"),
        "another app, signed by Alipay": (
            body(sandbox.gateway.signed_params({**unsigned, "app_id": OTHER_APP_ID})),
            "wrong_app_id",
        ),
        "another seller, signed by Alipay": (
            body(sandbox.gateway.signed_params({**unsigned, "seller_id": OTHER_SELLER_ID})),
            "wrong_seller_id",
        ),
        "malformed amount, signed by Alipay": (
            body(sandbox.gateway.signed_params({**unsigned, "total_amount": "99.999"})),
            "bad_amount",
        ),
        "field repeated": (body(genuine) + b"&total_amount=0.01", "malformed"),
        "not a form": (b"\xff\xfe{}", "malformed"),
    }
    codes = {}
    for name, (raw, _) in cases.items():
        with pytest.raises(NoticeRejected) as rejected:
            channel.parse_notice({"Content-Type": "application/x-www-form-urlencoded"}, raw)
        codes[name] = rejected.value.code
    assert codes == {name: code for name, (_, code) in cases.items()}
    assert channel.parse_notice({}, body(genuine)).kind == PAID
    with_empty_field = sandbox.gateway.signed_params({**unsigned, "passback_params": ""})
    assert channel.parse_notice({}, body(with_empty_field)).kind == PAID  # empty values are signed too

    # End to end: another merchant's trade notifies our URL; we answer "failure", it is not an event.
    other = AlipayChannel(
        config_for(
            sandbox,
            keys,
            APP_ID=OTHER_APP_ID,
            SELLER_ID=OTHER_SELLER_ID,
            APP_PRIVATE_KEY=signing.private_pem(keys["other_app"]),
        )
    )
    pay(other, sandbox, receiver, "XS20261204F2", 100)
    receiver.wait_for(lambda r: "wrong_app_id" in r.rejected)
    assert [e.order_no for e in receiver.events] == ["XS20261204F1"]


def test_query_close_and_gateway_refusals(channel, sandbox, receiver, keys):
    assert channel.query("XS-NEVER-SEEN").state == "unpaid"
    unreachable = AlipayChannel(config_for(sandbox, keys, GATEWAY="http://127.0.0.1:9/gateway.do"))
    with pytest.raises(ChannelError) as down:
        unreachable.query("XS-NEVER-SEEN")
    assert down.value.code == "network" and down.value.retryable
    channel.close("XS-NEVER-SEEN")  # Alipay never opened it: nothing to close

    cashier = open_cashier(channel.start(pay_request(receiver, "XS20261204C1", 800)).url)
    assert channel.query("XS20261204C1").state == "unpaid"
    channel.close("XS20261204C1")
    assert channel.query("XS20261204C1").state == "closed"
    with pytest.raises(urllib.error.HTTPError) as refused:
        press_pay(sandbox, cashier)
    assert refused.value.code == 409

    controls(sandbox, fail={"alipay.trade.query": 1})
    with pytest.raises(ChannelError) as busy:
        channel.query("XS20261204C1")
    assert busy.value.retryable and busy.value.code == "isp.unknow-error"
    assert channel.query("XS20261204C1").state == "closed"

    wrong_key = AlipayChannel(config_for(sandbox, keys, APP_PRIVATE_KEY=signing.private_pem(keys["forger"])))
    with pytest.raises(urllib.error.HTTPError) as page:
        open_cashier(wrong_key.start(pay_request(receiver, "XS20261204C2", 800)).url)
    assert page.value.code == 400 and b"isv.invalid-signature" in page.value.read()
    with pytest.raises(ChannelError) as refused_call:
        wrong_key.query("XS20261204C1")
    assert not refused_call.value.retryable

    not_alipay = AlipayChannel(
        config_for(sandbox, keys, ALIPAY_PUBLIC_KEY=signing.public_pem(keys["forger"]))
    )
    with pytest.raises(ChannelError) as unsigned:
        not_alipay.query("XS20261204C1")
    assert unsigned.value.code == "bad_signature"


def test_partial_refund_then_the_rest_and_a_retried_refund_is_not_a_second_one(channel, sandbox, receiver):
    pay(channel, sandbox, receiver, "XS20261204R1", 10000)
    receiver.wait_for(lambda r: r.events)
    trade = sandbox.gateway.trades[(APP_ID, "XS20261204R1")]

    assert channel.refund("XS20261204R1", "RF1", 3000, 10000, "学员申请退课").state == "succeeded"
    again = channel.refund("XS20261204R1", "RF1", 3000, 10000, "学员申请退课")
    assert again.state == "succeeded" and "'fund_change': 'N'" in again.raw
    assert trade.refunded_fen == 3000
    assert channel.query_refund("XS20261204R1", "RF1").state == "succeeded"
    assert channel.query_refund("XS20261204R1", "RF-NOT-SENT").state == "processing"
    assert channel.query("XS20261204R1").state == "paid"

    assert channel.refund("XS20261204R1", "RF2", 7001, 10000, "超额").state == "failed"
    assert channel.refund("XS20261204R1", "RF2", 7000, 10000, "退余款").state == "succeeded"
    assert trade.refunded_fen == 10000
    assert channel.query("XS20261204R1").state == "refunded"

    receiver.wait_for(lambda r: sum(e.kind == REFUND_SUCCEEDED for e in r.events) == 2)
    refunds = {e.refund_no: e for e in receiver.events if e.kind == REFUND_SUCCEEDED}
    assert {k: e.amount_fen for k, e in refunds.items()} == {"RF1": 3000, "RF2": 10000}  # cumulative
    assert refunds["RF2"].event_id == f"{trade.trade_no}:refund:RF2"
    assert not any(e.kind == CLOSED for e in receiver.events)
    with pytest.raises(ChannelError):
        channel.refund("XS20261204R1", "RF3", 0, 10000, "")
    with pytest.raises(ChannelError):
        channel.start(pay_request(receiver, "XS20261204R2", 0))


def test_bill_download_parses_gbk_csv_and_shows_a_planted_line(channel, sandbox, receiver):
    today = beijing_now().date()
    pay(channel, sandbox, receiver, "XS20261204B1", 1234)
    pay(channel, sandbox, receiver, "XS20261204B2", 5000)
    channel.refund("XS20261204B2", "RFB2", 1000, 5000, "部分退款")
    with pytest.raises(ChannelError) as not_yet:
        channel.download_bill(today)  # Alipay serves a day's bill the next day
    assert not_yet.value.code == "isp.bill_not_exist"

    planted = {
        "day": today.isoformat(),
        "trade_no": "2026120422001999",
        "out_trade_no": "XS-UNKNOWN",
        "amount": "0.02",
    }
    controls(sandbox, bill_today=True, plant=planted)
    lines = channel.download_bill(today)
    seen = sorted((b.order_no, b.kind, b.amount_fen, b.refund_no) for b in lines)
    assert seen == [
        ("XS-UNKNOWN", "payment", 2, ""),
        ("XS20261204B1", "payment", 1234, ""),
        ("XS20261204B2", "payment", 5000, ""),
        ("XS20261204B2", "refund", 1000, "RFB2"),
    ]
    trade_nos = {b.order_no: b.provider_trade_no for b in lines}
    assert trade_nos["XS20261204B1"] == sandbox.gateway.trades[(APP_ID, "XS20261204B1")].trade_no
    assert all(b.occurred_at.date() == today for b in lines)
    with pytest.raises(ChannelError):
        channel.download_bill(today + timedelta(days=1))


def test_settings_come_from_the_environment_with_keys_in_files(tmp_path):
    from sandbox.alipay import site
    from xueshi_payments.channels.alipay_client import AlipayConfig, settings_from_env

    values = site.site_settings("http://127.0.0.1:1/gateway.do", var=tmp_path)
    env = {f"XUESHI_ALIPAY_{key}": value for key, value in values.items()} | {"XUESHI_OTHER": "x"}
    config = AlipayConfig.from_mapping(settings_from_env(env))
    assert (config.app_id, config.seller_id, config.gateway) == (
        site.DEMO_APP_ID,
        site.DEMO_SELLER_ID,
        values["GATEWAY"],
    )
    assert config.app_private_key.startswith("-----BEGIN RSA PRIVATE KEY-----")
    assert (tmp_path / "app_private_key.pem").stat().st_mode & 0o077 == 0  # the key file is the owner's only
    with pytest.raises(ValueError, match="ALIPAY_PUBLIC_KEY"):
        AlipayConfig.from_mapping({k: v for k, v in values.items() if k != "ALIPAY_PUBLIC_KEY_PATH"})


def test_an_unpaid_trade_closes_at_its_expiry_with_a_closed_notice(channel, sandbox, receiver):
    request = replace(
        pay_request(receiver, "XS20261204E1", 700),
        expires_at=beijing_now() + timedelta(seconds=2),
        description="公需课/专业课 A&B=2026",  # characters Alipay forbids in a subject
    )
    query = urlsplit(channel.start(request).url).query
    cashier = open_cashier(sandbox.gateway_url, data=query.encode())  # the auto-submitted form's POST
    assert "¥7.00" in cashier and "公需课 专业课 A B 2026" in cashier
    receiver.wait_for(lambda r: r.events, seconds=6)
    event = receiver.events[0]
    assert (event.kind, event.order_no, event.amount_fen) == (CLOSED, "XS20261204E1", 700)
    assert event.event_id.endswith(":closed") and channel.query("XS20261204E1").state == "closed"
    with pytest.raises(urllib.error.HTTPError) as refused:
        press_pay(sandbox, cashier)
    assert refused.value.code == 409
