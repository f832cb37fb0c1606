"""Chromium at phone width presses 确认支付 on the WeChat Pay sandbox's payer page; the signed,
encrypted notice reaches the merchant's notify_url and verifies through the channel."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sandbox.wechatpay.server import WeChatPaySandbox
from tests.wechatpaykit import TIME_SCALE, NoticeReceiver, order_request
from xueshi_payments.channels.base import PAID
from xueshi_payments.channels.wechat import WeChatPayChannel
from xueshi_payments.channels.wechat_config import WeChatPayConfig


@pytest.fixture
def wechat(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[WeChatPaySandbox, NoticeReceiver]]:
    with WeChatPaySandbox(tmp_path_factory.mktemp("wechatpay"), time_scale=TIME_SCALE) as sandbox:
        receiver = NoticeReceiver(WeChatPayChannel(WeChatPayConfig.from_values(sandbox.settings())))
        yield sandbox, receiver
        receiver.httpd.shutdown()
        receiver.httpd.server_close()


def test_a_phone_pays_on_the_payer_page(browser, wechat):
    sandbox, receiver = wechat
    request = order_request(receiver, 1990)
    action = receiver.channel.start(request)
    context = browser.new_context(viewport={"width": 375, "height": 667}, locale="zh-CN")
    page = context.new_page()
    page.goto(sandbox.payer_url(action.url))
    assert page.locator("#amount").inner_text() == "¥19.90"
    page.get_by_role("button", name="确认支付").click()
    assert page.locator("#pay-result").inner_text() == "支付成功"
    receiver.wait(1)
    assert (receiver.events[0].kind, receiver.events[0].order_no) == (PAID, request.order_no)
    context.close()
