"""Pure parts of the WeChat Pay channel: settings from the environment, bill hashing and parsing
(the sandbox's bill writer against the channel's reader), and request signatures as the sandbox
checks them."""

from __future__ import annotations

import gzip
from datetime import datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from wechatpayv3.utils import build_authorization

from sandbox.wechatpay import bills, protocol
from sandbox.wechatpay.trades import SHANGHAI, Refund, Trade
from xueshi_payments.channels.base import ChannelError
from xueshi_payments.channels.wechat_bill import checked, parse
from xueshi_payments.channels.wechat_config import ConfigError, WeChatPayConfig, from_env

BASE = {
    "MCHID": "1900000109",
    "APPID": "wxd678efh567hg6787",
    "PRIVATE_KEY": "-----BEGIN PRIVATE KEY-----",
    "CERT_SERIAL_NO": "5157f09efdc096de15ebe81a47057a7232f1b8e1",
    "APIV3_KEY": "a" * 32,
}


def test_settings_come_from_the_environment_and_are_checked(tmp_path):
    key = tmp_path / "apiclient_key.pem"
    key.write_text("-----BEGIN PRIVATE KEY-----\n", encoding="ascii")
    env = {f"XUESHI_WECHATPAY_{k}": v for k, v in BASE.items() if k != "PRIVATE_KEY"}
    env |= {"XUESHI_WECHATPAY_PRIVATE_KEY_PATH": str(key), "UNRELATED": "x"}
    config = WeChatPayConfig.from_values(from_env(env))
    assert config.cert_serial_no == BASE["CERT_SERIAL_NO"].upper() and config.private_key.startswith(
        "-----BEGIN"
    )
    assert config.base_url == "https://api.mch.weixin.qq.com"

    for broken, message in (
        ({"APIV3_KEY": "short"}, "32 bytes"),
        ({"MCHID": ""}, "MCHID"),
        ({"PUBLIC_KEY": "-----BEGIN PUBLIC KEY-----"}, "go together"),
        ({"PUBLIC_KEY": "pem", "PUBLIC_KEY_ID": "ABC"}, "PUB_KEY_ID_"),
        ({"CERT_SERIAL_NO": "not hex"}, "hex"),
        ({"PRIVATE_KEY": "", "PRIVATE_KEY_PATH": str(tmp_path / "missing.pem")}, "cannot read"),
    ):
        with pytest.raises(ConfigError, match=message):
            WeChatPayConfig.from_values({**BASE, **broken})


def _trade(no: str, total: int) -> Trade:
    moment = datetime(2026, 12, 3, 23, 59, 59, tzinfo=SHANGHAI)
    return Trade(
        mchid="1900000109",
        appid="wx1",
        out_trade_no=no,
        trade_type="NATIVE",
        description="课程,含逗号",
        total=total,
        notify_url="",
        expires_at=moment + timedelta(days=1),
        request={},
        state="SUCCESS",
        transaction_id="4200000000202612030000000001",
        success_time=moment,
    )


def test_the_bill_is_hash_checked_and_parsed_to_fen():
    trade = _trade("XS000001", 1999)
    refund = Refund(
        trade=trade,
        out_refund_no="RF1",
        refund_id="5030",
        amount=1001,
        reason="",
        notify_url="",
        created=trade.success_time,
        status="SUCCESS",
        success_time=trade.success_time,
    )
    raw = bills.trade_bill([trade, _trade("XS000002", 1)], [refund])
    lines = parse(checked(gzip.compress(raw), "SHA1", bills.sha1(raw)))
    assert [(line.order_no, line.kind, line.amount_fen, line.refund_no) for line in lines] == [
        ("XS000001", "payment", 1999, ""),
        ("XS000002", "payment", 1, ""),
        ("XS000001", "refund", 1001, "RF1"),
    ]
    assert lines[0].occurred_at == trade.success_time

    for data, digest, code in (
        (raw, bills.sha1(raw + b"x"), "bill_hash_mismatch"),
        (raw.replace(b"19.99", b"99.99"), bills.sha1(raw), "bill_hash_mismatch"),
        (gzip.compress(raw)[:40], bills.sha1(raw), "bill_corrupt"),
    ):
        with pytest.raises(ChannelError) as refused:
            checked(data, "SHA1", digest)
        assert refused.value.code == code


def test_the_sandbox_checks_request_signatures_like_wechat_pay():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    merchants = {"1900000109": protocol.Merchant("1900000109", "ABC123", key.public_key())}
    body = b'{"mchid": "1900000109"}'
    header = build_authorization(
        "/v3/pay/transactions/native", "POST", "1900000109", "ABC123", key, data=body.decode()
    )
    now = float(header.split('timestamp="')[1].split('"')[0])
    assert protocol.verify_request("POST", "/v3/pay/transactions/native", header, body, merchants, now).mchid
    for method, path, sent, at, why in (
        ("POST", "/v3/pay/transactions/native", body + b" ", now, "签名错误"),
        ("POST", "/v3/pay/transactions/jsapi", body, now, "签名错误"),
        ("POST", "/v3/pay/transactions/native", body, now + 301, "时间戳"),
    ):
        with pytest.raises(protocol.ApiError, match=why) as refused:
            protocol.verify_request(method, path, header, sent, merchants, at)
        assert (refused.value.status, refused.value.code) == (401, "SIGN_ERROR")
    with pytest.raises(protocol.ApiError, match="序列号"):
        protocol.verify_request(
            "POST", "/v3/pay/transactions/native", header.replace("ABC123", "DEF456"), body, merchants, now
        )
