"""Reconciliation of an Alipay day against the Alipay sandbox gateway over real HTTP: the bill (a
zip of GBK CSVs behind a signed URL reply) with our paid order and a line planted through the
gateway's controls, the site's channel built by the registry from ``XUESHI_ALIPAY``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from sandbox.alipay import signing
from sandbox.alipay.server import AlipaySandbox
from sandbox.alipay.state import Merchant
from tests.component.payments.conftest import order_for
from tests.component.payments_alipay.conftest import (
    APP_ID,
    SELLER_ID,
    TIME_SCALE,
    controls,
    open_cashier,
    pay_request,
    press_pay,
)
from tests.wechatpaykit import NoticeReceiver
from xueshi_core.days import china_day
from xueshi_payments import reconciliation, states, tasks
from xueshi_payments.channels import registry
from xueshi_payments.reconciliation_models import ReconMismatch, ReconRun

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def alipay_keys() -> dict[str, Any]:
    return {name: signing.new_private_key() for name in ("alipay", "app")}


@pytest.fixture
def alipay_site(alipay_keys: dict[str, Any], db: Any) -> Iterator[tuple[AlipaySandbox, Any, NoticeReceiver]]:
    merchants = [Merchant(APP_ID, SELLER_ID, alipay_keys["app"].public_key())]
    with AlipaySandbox(alipay_keys["alipay"], merchants, time_scale=TIME_SCALE) as gateway:
        values = {
            "APP_ID": APP_ID,
            "SELLER_ID": SELLER_ID,
            "APP_PRIVATE_KEY": signing.private_pem(alipay_keys["app"]),
            "ALIPAY_PUBLIC_KEY": signing.public_pem(alipay_keys["alipay"]),
            "GATEWAY": gateway.gateway_url,
            "TIMEOUT": "5",
        }
        channels = {"alipay": "xueshi_payments.channels.alipay.AlipayChannel"}
        registry._build.cache_clear()
        with override_settings(XUESHI_ALIPAY=values, XUESHI_PAYMENT_CHANNELS=channels):
            channel = registry.get("alipay")
            receiver = NoticeReceiver(channel)  # type: ignore[arg-type]
            yield gateway, channel, receiver
            receiver.httpd.shutdown()
            receiver.httpd.server_close()
        registry._build.cache_clear()


def test_an_alipay_day_matches_our_payment_and_finds_the_planted_line(alipay_site, learner, paid_course):
    gateway, channel, receiver = alipay_site
    today = china_day(timezone.now())
    order = order_for(learner, paid_course, channel="alipay")
    press_pay(gateway, open_cashier(channel.start(pay_request(receiver, order.order_no, 3000)).url))
    tasks.query_order(order)
    order.refresh_from_db()
    assert order.state == states.FULFILLED

    not_yet = reconciliation.reconcile("alipay", today)  # Alipay serves a day's bill the next day
    assert not_yet.status == ReconRun.FAILED and "bill_not_exist" in not_yet.error

    planted = {"day": today.isoformat(), "trade_no": "2026120422009999", "out_trade_no": "XSPLANTED01"}
    controls(gateway, bill_today=True, plant={**planted, "amount": "0.02"})
    run = reconciliation.reconcile("alipay", today)
    assert (run.pk, run.status, run.error, run.bill_lines, run.matched) == (not_yet.pk, ReconRun.OK, "", 2, 1)
    only = run.mismatches.get()
    assert (only.kind, only.order_no, only.bill_fen, only.our_fen) == (
        ReconMismatch.NOT_OURS,
        "XSPLANTED01",
        2,
        None,
    )
