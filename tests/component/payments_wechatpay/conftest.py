"""The WeChat Pay sandbox on loopback (one per session, controls reset per test), a channel
configured for it, and a notify endpoint answering as a Xueshi notice view does."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sandbox.wechatpay.server import WeChatPaySandbox
from tests.wechatpaykit import TIME_SCALE, NoticeReceiver
from xueshi_payments.channels.wechat import WeChatPayChannel
from xueshi_payments.channels.wechat_config import WeChatPayConfig


@pytest.fixture(scope="session")
def wechat_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WeChatPaySandbox]:
    with WeChatPaySandbox(tmp_path_factory.mktemp("wechatpay-sandbox"), time_scale=TIME_SCALE) as sandbox:
        yield sandbox


@pytest.fixture
def sandbox(wechat_sandbox: WeChatPaySandbox) -> Iterator[WeChatPaySandbox]:
    wechat_sandbox.controls.reset()
    yield wechat_sandbox
    wechat_sandbox.controls.reset()


@pytest.fixture
def channel(sandbox: WeChatPaySandbox) -> WeChatPayChannel:
    return WeChatPayChannel(WeChatPayConfig.from_values(sandbox.settings()))


@pytest.fixture
def receiver(channel: WeChatPayChannel) -> Iterator[NoticeReceiver]:
    received = NoticeReceiver(channel)
    yield received
    received.httpd.shutdown()
    received.httpd.server_close()
