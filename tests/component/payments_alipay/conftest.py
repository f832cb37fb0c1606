"""The Alipay sandbox gateway on loopback, a merchant app registered with it, and a notify receiver.

The receiver is a real HTTP endpoint on loopback that does what the payments app's notify view
does with a notice: ``channel.parse_notice`` on the raw body, then ``channel.notice_reply``.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from sandbox.alipay import signing
from sandbox.alipay.server import AlipaySandbox
from sandbox.alipay.state import BEIJING, Merchant
from tests.component.paykit import Receiver, serve_receiver
from xueshi_payments.channels.alipay import AlipayChannel
from xueshi_payments.channels.alipay_client import AlipayConfig
from xueshi_payments.channels.base import PAGE, NoticeRejected, PaymentRequest

APP_ID, SELLER_ID = "2021000117600001", "2088721000000001"
OTHER_APP_ID, OTHER_SELLER_ID = "2021000117600002", "2088721000000002"
TIME_SCALE = 0.0005  # Alipay's 4-minute first retry becomes 0.12 s


@pytest.fixture(scope="session")
def keys() -> dict[str, Any]:
    """Alipay's key, our app's key, another merchant's app key, and a forger's key."""
    return {name: signing.new_private_key() for name in ("alipay", "app", "other_app", "forger")}


@pytest.fixture
def sandbox(keys: dict[str, Any]) -> Iterator[AlipaySandbox]:
    merchants = [
        Merchant(APP_ID, SELLER_ID, keys["app"].public_key()),
        Merchant(OTHER_APP_ID, OTHER_SELLER_ID, keys["other_app"].public_key()),
    ]
    with AlipaySandbox(keys["alipay"], merchants, time_scale=TIME_SCALE) as server:
        yield server


def config_for(sandbox: AlipaySandbox, keys: dict[str, Any], **changes: str) -> AlipayConfig:
    values = {
        "APP_ID": APP_ID,
        "SELLER_ID": SELLER_ID,
        "APP_PRIVATE_KEY": signing.private_pem(keys["app"]),
        "ALIPAY_PUBLIC_KEY": signing.public_pem(keys["alipay"]),
        "GATEWAY": sandbox.gateway_url,
        "TIMEOUT": "5",
    }
    return AlipayConfig.from_mapping({**values, **changes})


@pytest.fixture
def channel(sandbox: AlipaySandbox, keys: dict[str, Any]) -> AlipayChannel:
    return AlipayChannel(config_for(sandbox, keys))


@pytest.fixture
def receiver(channel: AlipayChannel) -> Iterator[Receiver]:
    def on_return(path: str, _body: bytes) -> tuple[int, bytes]:
        """The return page: the browser comes back with Alipay's signed parameters."""
        try:
            params = channel.verified_form(dict(parse_qsl(urlsplit(path).query)))
        except NoticeRejected as rejection:
            return 400, rejection.code.encode()
        received.returned.append(params)
        return 200, f"返回商户：{params['out_trade_no']}".encode()

    with serve_receiver(channel, "alipay", on_return) as received:
        yield received


def pay_request(receiver: Receiver, order_no: str, amount_fen: int, scene: str = PAGE) -> PaymentRequest:
    return PaymentRequest(
        order_no=order_no,
        amount_fen=amount_fen,
        description="2026 年度继续教育公需课",
        expires_at=datetime.now(BEIJING) + timedelta(minutes=30),
        notify_url=receiver.url,
        return_url=receiver.url.replace("/notify/", "/return/"),
        client_ip="127.0.0.1",
        scene=scene,
    )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def open_cashier(url: str, data: bytes | None = None) -> str:
    """The page the payer's browser shows after the redirect (GET) or the auto-submitted form (POST)."""
    with urllib.request.urlopen(url, data=data, timeout=5) as response:
        return response.read().decode("utf-8")


def press_pay(sandbox: AlipaySandbox, cashier_html: str) -> str:
    """Press "确认付款" on the cashier page; returns the ``Location`` the browser is sent to."""
    assert "确认付款" in cashier_html
    trade_no = re.search(r'name="trade_no" value="([0-9]+)"', cashier_html)
    assert trade_no, cashier_html
    data = urlencode({"trade_no": trade_no.group(1)}).encode()
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(sandbox.base_url + "/sandbox/cashier/pay", data=data, timeout=5)
    except urllib.error.HTTPError as error:
        if error.code != 302:
            raise  # the cashier refused (closed trade, ...): the test reads the error page
        return error.headers["Location"]
    raise AssertionError("the cashier did not redirect to return_url")


def controls(sandbox: AlipaySandbox, **changes: Any) -> dict[str, Any]:
    import json

    request = urllib.request.Request(
        sandbox.base_url + "/sandbox/controls", data=json.dumps(changes).encode(), method="POST"
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return dict(json.loads(response.read()))
