"""Fixtures of reconciliation and refund-request tests: a fresh WeChat Pay sandbox per test (its
trades and bills start empty, so a day's bill holds only what the test paid), the site configured
for it the way the sandbox site is (``XUESHI_WECHATPAY`` + ``XUESHI_PAYMENT_CHANNELS``), and an
operator."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import override_settings

from sandbox.wechatpay.server import WeChatPaySandbox
from tests.component.payments.conftest import learner, make_user, paid_course, signed_in  # noqa: F401
from tests.wechatpaykit import TIME_SCALE, NoticeReceiver
from xueshi_core import roles
from xueshi_payments.channels import registry

CHANNELS = {
    "wechat": "xueshi_payments.channels.wechat.WeChatPayChannel",
    "transfer": "xueshi_payments.channels.transfer.BankTransferChannel",
}


@pytest.fixture(scope="session")
def wechat_var(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One key directory for the session: sandboxes reuse the keys, not the trades."""
    return tmp_path_factory.mktemp("recon-wechatpay")


@pytest.fixture
def sandbox(wechat_var: Any) -> Iterator[WeChatPaySandbox]:
    with WeChatPaySandbox(wechat_var, time_scale=TIME_SCALE) as server:
        yield server


@pytest.fixture
def site(sandbox: WeChatPaySandbox, db: Any) -> Iterator[Any]:
    """The site paying through the sandbox; the registry builds its channel from these settings."""
    registry._build.cache_clear()
    with override_settings(XUESHI_WECHATPAY=sandbox.settings(), XUESHI_PAYMENT_CHANNELS=CHANNELS):
        yield registry.get("wechat")
    registry._build.cache_clear()


@pytest.fixture
def receiver(site: Any) -> Iterator[NoticeReceiver]:
    """Where the sandbox sends its notices (verified, not applied: the tests apply by query)."""
    received = NoticeReceiver(site)
    yield received
    received.httpd.shutdown()
    received.httpd.server_close()


@pytest.fixture
def operator(db: Any) -> Any:
    user = make_user("recon_op")
    user.groups.add(Group.objects.get_or_create(name=roles.OPERATOR)[0])
    return user


@pytest.fixture
def auditor(db: Any) -> Any:
    user = make_user("recon_auditor")
    user.groups.add(Group.objects.get_or_create(name=roles.AUDITOR)[0])
    return user


@pytest.fixture
def operator_client(operator: Any) -> Any:
    return signed_in(operator)
