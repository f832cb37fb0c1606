"""A payer on a 375 px phone is auto-posted to the sandbox cashier, pays, and is auto-posted back.

Chromium submits both forms itself (the checkout's and UnionPay's front return), so the signed
fields survive a real browser's form encoding (line ends in ``signPubKeyCert`` included).
"""

from __future__ import annotations

import html

import pytest

from tests.component.payments_unionpay.conftest import pay_request
from xueshi_payments.channels.base import H5, PAID

pytestmark = [pytest.mark.browser]


def test_phone_payer_is_posted_to_the_cashier_pays_and_returns_signed(
    browser, channel, sandbox, receiver, txn_times
):
    txn_times.redis.delete(txn_times.PREFIX + "XS20261204M1")
    action = channel.start(pay_request(receiver, "XS20261204M1", 2990, H5))
    assert action.params["channelType"] == "08"
    inputs = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
        for k, v in action.params.items()
    )
    checkout = (
        f'<form id="pay" method="post" action="{html.escape(action.url)}">{inputs}</form>'
        '<script>document.getElementById("pay").submit()</script>'
    )
    context = browser.new_context(viewport={"width": 375, "height": 667}, locale="zh-CN")
    page = context.new_page()
    try:
        page.set_content(checkout)
        page.wait_for_url(action.url)
        assert "¥29.90" in page.content()
        button = page.get_by_role("button", name="确认支付")
        box = button.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375
        button.click()
        page.wait_for_url(receiver.url.replace("/notify/", "/return/"))
        assert "back at the merchant" in page.content()
    finally:
        context.close()
    assert [(r["orderId"], r["respCode"]) for r in receiver.returned] == [("XS20261204M1", "00")]
    receiver.wait_for(lambda r: r.events)
    assert (receiver.events[0].kind, receiver.events[0].amount_fen) == (PAID, 2990)
