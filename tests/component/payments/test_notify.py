"""The notify endpoint: raw body to the channel, the event applied once, the channel's own replies.

A refused notice (bad signature, tampered body, unknown channel, oversized) gets the failure reply
and changes nothing; a good one pays once however often it is posted.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets

import pytest
from django.test import Client

from sandbox.lms import enrollment
from xueshi_payments import states
from xueshi_payments.models import Order, ProviderEvent

from .channelkit import SignedNoticeTransfer
from .conftest import order_for

pytestmark = pytest.mark.django_db
URL = "/xueshi/payments/notify/signedtest/"


@pytest.fixture
def channel(settings):
    SignedNoticeTransfer.key = secrets.token_bytes(32)  # made per run, never committed
    settings.XUESHI_PAYMENT_CHANNELS = {
        "transfer": "xueshi_payments.channels.transfer.BankTransferChannel",
        "signedtest": "tests.component.payments.channelkit.SignedNoticeTransfer",
    }
    return SignedNoticeTransfer


def post(body: bytes, signature: str):
    return Client().post(URL, body, content_type="application/json", HTTP_X_SIGNATURE=signature)


def signed(body: bytes) -> str:
    return hmac.new(SignedNoticeTransfer.key, body, hashlib.sha256).hexdigest()


def test_a_verified_notice_pays_once_and_forged_ones_change_nothing(channel, paid_course, learner):
    order = order_for(learner, paid_course, channel="signedtest")
    body = json.dumps(
        {"id": "n-1", "kind": "paid", "order_no": order.order_no, "amount": 3000, "trade_no": "T1"}
    ).encode()
    tampered = body.replace(b"3000", b"0001")
    refused = [
        post(body, "0" * 64),
        post(tampered, signed(body)),
        post(b"x" * (70 * 1024), signed(b"x" * (70 * 1024))),
        Client().post("/xueshi/payments/notify/nosuch/", body, content_type="application/json"),
    ]
    assert [r.status_code for r in refused] == [400, 400, 400, 404]
    assert refused[0].json()["code"] == "FAIL"
    assert not ProviderEvent.objects.exists() and Order.objects.get(pk=order.pk).state == states.PENDING
    answers = [post(body, signed(body)) for _ in range(3)]
    assert [a.status_code for a in answers] == [204, 204, 204] and answers[0].content == b""
    order.refresh_from_db()
    assert order.state == states.FULFILLED and ProviderEvent.objects.count() == 1
    assert enrollment.mode_for_user(learner, paid_course) == ("verified", True)
