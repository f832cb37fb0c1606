"""A payer on a 375 px phone pays on the sandbox's wap cashier in Chromium and comes back signed."""

from __future__ import annotations

import pytest

from tests.component.payments_alipay.conftest import pay_request
from xueshi_payments.channels.base import PAID, WAP

pytestmark = [pytest.mark.browser]


def test_phone_payer_presses_pay_and_returns_with_signed_parameters(browser, channel, sandbox, receiver):
    action = channel.start(pay_request(receiver, "XS20261204M1", 2990, WAP))
    context = browser.new_context(viewport={"width": 375, "height": 667}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(action.url)
        assert page.locator("#amount").inner_text() == "¥29.90"
        button = page.get_by_role("button", name="确认付款")
        box = button.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375  # no sideways scrolling to pay
        button.click()
        page.wait_for_url(receiver.url.replace("/notify/", "/return/") + "?*")
        assert "XS20261204M1" in page.content()
    finally:
        context.close()
    assert [r["out_trade_no"] for r in receiver.returned] == ["XS20261204M1"]
    assert receiver.returned[0]["method"] == "alipay.trade.wap.pay.return"
    receiver.wait_for(lambda r: r.events)
    assert (receiver.events[0].kind, receiver.events[0].amount_fen) == (PAID, 2990)
