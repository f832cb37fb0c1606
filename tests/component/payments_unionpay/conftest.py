"""The UnionPay sandbox gateway on loopback, merchants registered with it, and a notify receiver.

The receiver is a real HTTP endpoint on loopback that does what the payments app's views do: a
back-end notice goes through ``channel.parse_notice`` and ``channel.notice_reply``; a front
return (the browser's auto-submitted form) through ``channel.verified``. ``txnTime`` records
live in the real Redis (``XUESHI_REDIS_URL``, emptied around each test by the component conftest).
"""

from __future__ import annotations

import os
import re
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest

from sandbox.unionpay import pki
from sandbox.unionpay.server import UnionPaySandbox
from sandbox.unionpay.state import BEIJING, Merchant
from tests.component.paykit import Receiver, serve_receiver
from xueshi_payments.channels.base import PAGE, NoticeRejected, PaymentRequest
from xueshi_payments.channels.unionpay import UnionPayChannel
from xueshi_payments.channels.unionpay_config import TxnTimes, UnionPayConfig

MER_ID, OTHER_MER_ID = "777290058110048", "777290058110049"
TIME_SCALE = 0.002  # UnionPay's 1-minute resend becomes 0.12 s


@pytest.fixture(scope="session")
def pki_set() -> dict[str, Any]:
    """UnionPay's chain, a forger's look-alike chain with its own root, and two merchants."""
    chain = pki.Chain.new()
    return {
        "chain": chain,
        "forger": pki.Chain.new(),
        "merchant": chain.merchant(MER_ID),
        "other": chain.merchant(OTHER_MER_ID),
        "unregistered": chain.merchant(MER_ID),  # same merId, a certificate UnionPay does not know
    }


@pytest.fixture
def sandbox(pki_set: dict[str, Any]) -> Iterator[UnionPaySandbox]:
    merchants = [Merchant(MER_ID, pki_set["merchant"].cert), Merchant(OTHER_MER_ID, pki_set["other"].cert)]
    with UnionPaySandbox(pki_set["chain"], merchants, time_scale=TIME_SCALE) as server:
        yield server


@pytest.fixture
def txn_times() -> TxnTimes:
    from xueshi_core import redisclients

    return TxnTimes(redisclients.client(os.environ.get("XUESHI_REDIS_URL", ""), setting="XUESHI_REDIS_URL"))


def config_for(
    sandbox: UnionPaySandbox,
    pki_set: dict[str, Any],
    tmp: Path,
    *,
    merchant: str = "merchant",
    **changes: str,
) -> UnionPayConfig:
    chain: pki.Chain = pki_set["chain"]
    tmp.mkdir(parents=True, exist_ok=True)
    pfx_path = tmp / f"{merchant}.pfx"
    pfx_path.write_bytes(pki.pfx(pki_set[merchant]))
    (tmp / "root.cer").write_text(pki.pem(chain.root.cert))
    (tmp / "middle.cer").write_text(pki.pem(chain.middle.cert))
    values = {
        "MER_ID": MER_ID,
        "SIGN_CERT_PATH": str(pfx_path),
        "SIGN_CERT_PASSWORD": pki.PFX_PASSWORD,
        "MIDDLE_CERT_PATH": str(tmp / "middle.cer"),
        "ROOT_CERT_PATH": str(tmp / "root.cer"),
        "GATEWAY": sandbox.base_url,
        "FILE_URL": sandbox.base_url + "/filedownload/",
        "TIMEOUT": "5",
    }
    return UnionPayConfig.from_mapping({**values, **changes})


@pytest.fixture
def channel(
    sandbox: UnionPaySandbox, pki_set: dict[str, Any], tmp_path: Path, txn_times: TxnTimes
) -> UnionPayChannel:
    return UnionPayChannel(config_for(sandbox, pki_set, tmp_path), txn_times)


@pytest.fixture
def receiver(channel: UnionPayChannel) -> Iterator[Receiver]:
    def on_return(_path: str, body: bytes) -> tuple[int, bytes]:
        """The browser's front return: the bank's page posts the signed form back."""
        try:
            received.returned.append(channel.verified(dict(parse_qsl(body.decode()))))
        except NoticeRejected as rejection:
            return 400, rejection.code.encode()
        return 200, b"back at the merchant"

    with serve_receiver(channel, "unionpay", on_return) as received:
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


def post(url: str, fields: dict[str, str]) -> str:
    """What the browser does with an auto-submitting form: POST it, read the page."""
    with urllib.request.urlopen(url, data=urlencode(fields).encode(), timeout=5) as response:
        return response.read().decode("utf-8")


def hidden_form(page: str) -> tuple[str, dict[str, str]]:
    """The action and hidden fields of the (first) form on ``page``."""
    action = re.search(r'<form[^>]*action="([^"]*)"', page)
    assert action, page
    fields = dict(re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)"', page))
    return unescape(action.group(1)), {unescape(k): unescape(v) for k, v in fields.items()}


def press_pay(sandbox: UnionPaySandbox, cashier: str) -> str:
    """Press "确认支付"; returns the page with the auto-submitting return form."""
    assert "确认支付" in cashier, cashier
    _, fields = hidden_form(cashier)
    return post(sandbox.base_url + "/sandbox/cashier/pay", fields)


def controls(sandbox: UnionPaySandbox, **changes: Any) -> dict[str, Any]:
    import json

    request = urllib.request.Request(
        sandbox.base_url + "/sandbox/controls", data=json.dumps(changes).encode()
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return dict(json.loads(response.read()))
