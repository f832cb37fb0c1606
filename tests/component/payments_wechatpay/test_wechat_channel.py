"""The WeChat Pay v3 channel through ``wechatpayv3`` against the sandbox on loopback: real request
signatures, signed replies, signed and AES-256-GCM-encrypted notices delivered over HTTP, refunds
and a hash-checked bill; forged notices refused, each with its own code."""

from __future__ import annotations

import base64
import dataclasses
import json
import time
import urllib.request
from datetime import datetime

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from sandbox.wechatpay import protocol
from sandbox.wechatpay.trades import SHANGHAI
from tests.wechatpaykit import order_request, pay
from xueshi_payments.channels.base import (
    H5,
    JSAPI,
    PAID,
    REFUND_SUCCEEDED,
    ChannelError,
    NoticeRejected,
)
from xueshi_payments.channels.wechat import WeChatPayChannel
from xueshi_payments.channels.wechat_config import WeChatPayConfig


def paid_order(sandbox, channel, receiver, amount_fen=1990):
    request = order_request(receiver, amount_fen)
    action = channel.start(request)
    status, page, _ = pay(sandbox, action.url)
    assert status == 200 and "支付成功" in page
    receiver.wait(1)
    return request, receiver.events[-1]


def test_native_order_paid_through_the_payer_page_gives_one_verified_event(sandbox, channel, receiver):
    request = order_request(receiver, 1990)
    action = channel.start(request)
    assert action.kind == "qr" and action.url.startswith("weixin://wxpay/bizpayurl?pr=")
    assert channel.query(request.order_no).state == "unpaid"
    again = channel.start(request)  # the checkout page reloaded: the same frozen order, a fresh QR
    assert again.kind == "qr" and again.url != action.url
    with pytest.raises(ChannelError) as changed:  # the same order number with another amount
        channel.start(dataclasses.replace(request, amount_fen=1))
    assert (changed.value.code, changed.value.retryable) == ("INVALID_REQUEST", False)

    status, page, _ = pay(sandbox, action.url)
    assert status == 200 and "支付成功" in page
    receiver.wait(1)
    event = receiver.events[0]
    assert (event.kind, event.order_no, event.amount_fen) == (PAID, request.order_no, 1990)
    assert (event.merchant_id, event.app_id) == (sandbox.keys.mchid, sandbox.keys.appid)
    assert event.provider == "wechat" and event.event_id == f"TRANSACTION.SUCCESS:{event.provider_trade_no}"
    assert event.provider_trade_no.startswith("42") and event.occurred_at is not None
    notice = sandbox.notifier.wait_delivered(lambda n: n.url == receiver.url)
    assert [n.attempts for n in notice] == [["204"]]

    trade = channel.query(request.order_no)
    assert (trade.state, trade.amount_fen, trade.provider_trade_no) == ("paid", 1990, event.provider_trade_no)
    assert pay(sandbox, action.url)[0] == 409  # a paid QR cannot be paid again


def test_certificate_signed_notices_verify_beside_the_public_key(sandbox, channel, receiver):
    """During WeChat Pay's switch some notices are signed with the platform certificate: fetched by serial."""
    sandbox.controls.signer = "certificate"
    request, event = paid_order(sandbox, channel, receiver, 1)
    assert event.kind == PAID and event.amount_fen == 1
    assert [c.serial_number for c in channel.client.platform_certificates()] == [
        int(sandbox.keys.platform_serial, 16)
    ]

    # a merchant still on certificates only: /v3/certificates at start-up, replies signed by the certificate
    settings = {k: v for k, v in sandbox.settings().items() if k not in ("PUBLIC_KEY", "PUBLIC_KEY_ID")}
    certificate_only = WeChatPayChannel(WeChatPayConfig.from_values(settings))
    assert certificate_only.query(request.order_no).state == "paid"
    assert certificate_only.keys.public_keys == {}


def test_lost_deliveries_are_retried_and_duplicates_are_one_event(sandbox, channel, receiver):
    sandbox.controls.fail_deliveries = 2
    sandbox.controls.duplicate = 1
    _request, _ = paid_order(sandbox, channel, receiver)
    receiver.wait(2)
    assert {e.event_id for e in receiver.events} == {receiver.events[0].event_id}
    copies = [n for n in sandbox.notifier.sent if n.url == receiver.url]
    deadline = time.monotonic() + 5
    while not all(n.delivered for n in copies):  # the sandbox records the 204 just after we answer
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert len(copies) == 2 and [n.attempts[-1] for n in copies] == ["204", "204"]
    assert sum(a.startswith("network error") for n in copies for a in n.attempts) == 2


def _signed(sandbox, body: bytes, *, key_name="public_key_private", serial=None, timestamp=None):
    headers = protocol.signed_headers(
        sandbox.keys.private_key(key_name),
        serial or sandbox.keys.public_key_id,
        body,
        int(timestamp if timestamp is not None else time.time()),
    )
    if serial is not None:
        headers["Wechatpay-Serial"] = serial
    return headers


def _notice_body(sandbox, plaintext: dict, tamper: bool = False) -> bytes:
    resource = protocol.encrypt_resource(
        sandbox.keys.apiv3_key, json.dumps(plaintext).encode(), "transaction", "transaction"
    )
    if tamper:
        raw = bytearray(base64.b64decode(resource["ciphertext"]))
        raw[3] ^= 0x01
        resource["ciphertext"] = base64.b64encode(bytes(raw)).decode()
    envelope = {
        "id": "n-1",
        "create_time": datetime.now(SHANGHAI).isoformat(),
        "resource_type": "encrypt-resource",
        "event_type": "TRANSACTION.SUCCESS",
        "summary": "支付成功",
        "resource": resource,
    }
    return json.dumps(envelope).encode()


PLAINTEXT = {
    "appid": "wxd678efh567hg6787",
    "mchid": "1900000109",
    "out_trade_no": "XS0000000001",
    "transaction_id": "4200000000000000000000000001",
    "trade_state": "SUCCESS",
    "amount": {"total": 100, "currency": "CNY"},
    "success_time": "2026-12-04T10:00:00+08:00",
}


def test_forged_notices_are_refused_each_with_its_own_code(sandbox, channel):
    body = _notice_body(sandbox, PLAINTEXT)
    good = _signed(sandbox, body)
    assert channel.parse_notice(good, body).kind == PAID  # the control: a genuine notice passes
    meta = {"HTTP_" + name.upper().replace("-", "_"): value for name, value in good.items()}
    assert channel.parse_notice(meta, body).kind == PAID  # Django's request.META spelling

    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = dict(
        good,
        **{
            "Wechatpay-Signature": base64.b64encode(
                stranger.sign(
                    f"{good['Wechatpay-Timestamp']}\n{good['Wechatpay-Nonce']}\n".encode() + body + b"\n",
                    padding.PKCS1v15(),
                    hashes.SHA256(),
                )
            ).decode()
        },
    )
    tampered = _notice_body(sandbox, PLAINTEXT, tamper=True)  # signed after tampering: only GCM notices
    probe = dict(good, **{"Wechatpay-Signature": "WECHATPAY/SIGNTEST/" + good["Wechatpay-Signature"]})
    cases = [
        ("bad_signature", forged, body),
        ("bad_signature", good, body.replace(b'"n-1"', b'"n-2"')),  # the body changed after signing
        ("unknown_serial", _signed(sandbox, body, serial="5157F09EFDC096DE15EBE81A47057A7232F1B8E1"), body),
        ("unknown_serial", _signed(sandbox, body, serial="PUB_KEY_ID_0000000000000000000000"), body),
        ("stale_timestamp", _signed(sandbox, body, timestamp=time.time() - 301), body),
        ("tampered_resource", _signed(sandbox, tampered), tampered),
        ("probe_signature", probe, body),
        ("missing_headers", {k: v for k, v in good.items() if k != "Wechatpay-Nonce"}, body),
    ]
    for expected, headers, sent in cases:
        with pytest.raises(NoticeRejected) as refused:
            channel.parse_notice(headers, sent)
        assert refused.value.code == expected
    assert channel.notice_reply(False)[0] == 400 and channel.notice_reply(True)[0] == 204


def test_probe_notices_get_a_4xx_over_http(sandbox, channel, receiver):
    sandbox.controls.probe = 1
    request = order_request(receiver)
    pay(sandbox, channel.start(request).url)
    receiver.wait(0, rejected=1)
    assert receiver.rejected[0] == "probe_signature" and receiver.events == []
    sent = sandbox.notifier.wait_delivered(lambda n: n.url == receiver.url)
    assert sent and sent[-1].attempts[0] == "400"


def test_close_and_query(sandbox, channel, receiver):
    assert channel.query("XS-never-sent").state == "unpaid"
    channel.close("XS-never-sent")  # nothing to close at WeChat Pay
    for bad in ("../../v3/certificates", "short", "x" * 33):  # order numbers go into URL paths
        with pytest.raises(ChannelError) as refused:
            channel.query(bad)
        assert (refused.value.code, refused.value.retryable) == ("PARAM_ERROR", False)

    request = order_request(receiver)
    action = channel.start(request)
    channel.close(request.order_no)
    assert channel.query(request.order_no).state == "closed"
    assert pay(sandbox, action.url)[0] == 409

    paid, _ = paid_order(sandbox, channel, receiver)
    with pytest.raises(ChannelError) as refused:
        channel.close(paid.order_no)
    assert (refused.value.code, refused.value.retryable) == ("ORDERPAID", False)


def test_partial_refund_notice_query_and_same_number_again(sandbox, channel, receiver):
    config = WeChatPayConfig.from_values({**sandbox.settings(), "REFUND_NOTIFY_URL": receiver.url})
    refunding = WeChatPayChannel(config)
    request, paid = paid_order(sandbox, channel, receiver, 5000)

    first = refunding.refund(request.order_no, f"RF{request.order_no}", 1200, 5000, "学员申请退课")
    assert first.state == "processing"
    receiver.wait(2)
    event = receiver.events[-1]
    assert (event.kind, event.refund_no, event.amount_fen, event.order_no) == (
        REFUND_SUCCEEDED,
        f"RF{request.order_no}",
        1200,
        request.order_no,
    )
    assert event.provider_trade_no == paid.provider_trade_no and event.merchant_id == sandbox.keys.mchid
    assert refunding.query_refund(request.order_no, f"RF{request.order_no}").state == "succeeded"
    assert (
        refunding.refund(request.order_no, f"RF{request.order_no}", 1200, 5000, "重试").state == "succeeded"
    )
    assert channel.query(request.order_no).state == "refunded"

    with pytest.raises(ChannelError) as too_much:
        refunding.refund(request.order_no, f"RG{request.order_no}", 3801, 5000, "超额")
    assert (too_much.value.code, too_much.value.retryable) == ("INVALID_REQUEST", False)
    with pytest.raises(ChannelError) as unknown:
        refunding.query_refund(request.order_no, "RF-never-sent")
    assert (unknown.value.code, unknown.value.retryable) == ("RESOURCE_NOT_EXISTS", True)


def test_trade_bill_is_hash_checked_and_parsed(sandbox, channel, receiver):
    request, paid = paid_order(sandbox, channel, receiver, 2345)
    channel.refund(request.order_no, f"RB{request.order_no}", 345, 2345, "部分退款")
    deadline = time.monotonic() + 5
    while channel.query_refund(request.order_no, f"RB{request.order_no}").state != "succeeded":
        assert time.monotonic() < deadline
        time.sleep(0.01)
    today = datetime.now(SHANGHAI).date()
    lines = [line for line in channel.download_bill(today) if line.order_no == request.order_no]
    assert sorted((line.kind, line.amount_fen, line.refund_no) for line in lines) == [
        ("payment", 2345, ""),
        ("refund", 345, f"RB{request.order_no}"),
    ]
    assert {line.provider_trade_no for line in lines} == {paid.provider_trade_no}

    sandbox.controls.corrupt_bill_hash = True
    with pytest.raises(ChannelError) as refused:
        channel.download_bill(today)
    assert refused.value.code == "bill_hash_mismatch"
    assert channel.download_bill(today.replace(year=today.year - 1)) == []  # a day without trades


def test_jsapi_params_are_signed_and_h5_returns_to_the_site(sandbox, channel, receiver):
    with pytest.raises(ChannelError):
        channel.start(order_request(receiver, scene=JSAPI))
    action = channel.start(order_request(receiver, scene=JSAPI, openid="oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"))
    params = action.params
    assert (
        action.kind == "jsapi"
        and params["package"].startswith("prepay_id=wx")
        and params["signType"] == "RSA"
    )
    merchant_public = sandbox.keys.private_key("merchant_private_key").public_key()
    message = "".join(f"{params[k]}\n" for k in ("appId", "timeStamp", "nonceStr", "package")).encode()
    merchant_public.verify(base64.b64decode(params["paySign"]), message, padding.PKCS1v15(), hashes.SHA256())

    h5 = order_request(receiver, scene=H5)
    action = channel.start(h5)
    assert action.kind == "redirect" and action.url.startswith(sandbox.base_url + "/pay/wx")
    status, _page, location = pay(sandbox, action.url, redirect_url=h5.return_url)
    assert (status, location) == (302, h5.return_url)


def test_the_sandbox_checks_merchant_signatures_and_the_channel_checks_replies(sandbox, receiver):
    wrong_serial = WeChatPayConfig.from_values({**sandbox.settings(), "CERT_SERIAL_NO": "ABCDEF0123456789"})
    with pytest.raises(ChannelError) as refused:
        WeChatPayChannel(wrong_serial).start(order_request(receiver))
    assert (refused.value.code, refused.value.retryable) == ("SIGN_ERROR", False)

    stranger_key = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    from cryptography.hazmat.primitives import serialization

    pem = stranger_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    wrong_key = WeChatPayConfig.from_values({**sandbox.settings(), "PUBLIC_KEY": pem.decode()})
    request = order_request(receiver)
    WeChatPayChannel(WeChatPayConfig.from_values(sandbox.settings())).start(request)
    with pytest.raises(ChannelError) as unsigned:  # a 2xx reply whose signature does not verify
        WeChatPayChannel(wrong_key).query(request.order_no)
    assert (unsigned.value.code, unsigned.value.retryable) == ("reply_signature", True)

    sandbox.controls.fail_api = 1
    with pytest.raises(ChannelError) as failing:
        WeChatPayChannel(WeChatPayConfig.from_values(sandbox.settings())).query("XS0000000001")
    assert (failing.value.code, failing.value.retryable) == ("SYSTEM_ERROR", True)


def test_held_notices_arrive_newest_first_and_a_lost_one_leaves_the_query(sandbox, channel, receiver):
    sandbox.controls.reorder = True
    first, second = order_request(receiver, 101), order_request(receiver, 202)
    for request in (first, second):
        pay(sandbox, channel.start(request).url)
    time.sleep(0.05)
    assert receiver.events == []
    reply = urllib.request.urlopen(  # the control page, as a browser test would use it
        urllib.request.Request(
            f"{sandbox.base_url}/sandbox/control", data=b'{"release_held": true}', method="POST"
        )
    )
    assert reply.status == 200
    receiver.wait(2)
    assert [e.order_no for e in receiver.events] == [second.order_no, first.order_no]

    sandbox.controls.lose = 1
    lost = order_request(receiver, 303)
    pay(sandbox, channel.start(lost).url)
    time.sleep(0.1)
    assert [e.order_no for e in receiver.events].count(lost.order_no) == 0
    assert channel.query(lost.order_no).state == "paid"  # what the order logic's active query finds
    with urllib.request.urlopen(f"{sandbox.base_url}/sandbox/") as page:
        html = page.read().decode("utf-8")
    assert "TRANSACTION.SUCCESS" in html and "lost" in html
