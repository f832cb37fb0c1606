"""Fixtures of the notification tests: SMS and WeChat sandboxes on loopback, a learner with a phone."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

import pytest

from sandbox.sms import aliyun, tencent
from sandbox.sms.server import Inbox, SmsServer
from sandbox.wechat_oauth.server import OAuthServer
from sandbox.wechat_oauth.subscribe import SubscribeSandbox
from tests.component.permkit import learner_in, signed_in  # noqa: F401

REGION = ("350000", "350100", "350102")
TEMPLATES = {"payment_paid": "SMS_480000001", "certificate_issued": "SMS_480000002"}
TENCENT_TEMPLATES = {"payment_paid": "2400001", "certificate_issued": "2400002"}
WECHAT_TEMPLATES = {
    "payment_paid": {"id": "tpl-paid", "fields": {"character_string1": "order_no", "amount2": "amount"}},
    "certificate_issued": {"id": "tpl-cert", "fields": {"character_string1": "serial", "thing2": "name"}},
}


@pytest.fixture
def aliyun_sms(settings: Any) -> Iterator[tuple[SmsServer, dict[str, Any]]]:
    """The Alibaba Cloud SMS sandbox with a fresh key; the site's settings point at it."""
    key, secret = "LTAI" + secrets.token_hex(8), secrets.token_hex(15)
    inbox = Inbox("aliyun")
    with SmsServer(inbox, aliyun.handler({key: secret}, inbox), content_type=aliyun.CONTENT_TYPE) as server:
        options = {
            "PROVIDER": "aliyun",
            "ACCESS_KEY_ID": key,
            "ACCESS_KEY_SECRET": secret,
            "SIGN_NAME": "学时平台",
            "ENDPOINT": server.endpoint,
            "PROTOCOL": "http",
            "TEMPLATES": TEMPLATES,
        }
        settings.XUESHI_NOTIFY_SMS = options
        settings.XUESHI_NOTIFY_RETRY_DELAYS = [0, 0]
        settings.XUESHI_NOTIFY_TIMEOUT = 3
        yield server, options


@pytest.fixture
def tencent_sms(settings: Any) -> Iterator[tuple[SmsServer, dict[str, Any]]]:
    """The Tencent Cloud SMS sandbox; the site's settings point at it."""
    key_id, key, app_id = "AKID" + secrets.token_hex(8), secrets.token_hex(16), "1400123456"
    inbox = Inbox("tencent")
    handle = tencent.handler({key_id: key}, app_id, inbox)
    with SmsServer(inbox, handle, content_type=tencent.CONTENT_TYPE) as server:
        options = {
            "PROVIDER": "tencent",
            "SECRET_ID": key_id,
            "SECRET_KEY": key,
            "SDK_APP_ID": app_id,
            "SIGN_NAME": "学时平台",
            "ENDPOINT": server.endpoint,
            "PROTOCOL": "http",
            "TEMPLATES": TENCENT_TEMPLATES,
        }
        settings.XUESHI_NOTIFY_SMS = options
        settings.XUESHI_NOTIFY_RETRY_DELAYS = [0, 0]
        settings.XUESHI_NOTIFY_TIMEOUT = 3
        yield server, options


@pytest.fixture
def wechat(settings: Any) -> Iterator[SubscribeSandbox]:
    """The official account's API sandbox; a fresh appid (so no token is shared with other tests)."""
    appid, secret = "wx" + secrets.token_hex(8), secrets.token_hex(16)
    sandbox = SubscribeSandbox(appid, secret, templates={"tpl-paid", "tpl-cert"})
    with OAuthServer(sandbox) as server:
        settings.XUESHI_NOTIFY_WECHAT = {
            "APPID": appid,
            "SECRET": secret,
            "BASE_URL": server.base_url,
            "TEMPLATES": WECHAT_TEMPLATES,
        }
        settings.XUESHI_NOTIFY_RETRY_DELAYS = [0, 0]
        yield sandbox


@pytest.fixture
def learner(db: Any) -> Any:
    """A learner with an email and a real-name profile holding a phone (139000 00771)."""
    profile = learner_in("ntf_learner", REGION, "福州某医院", 771)
    user = profile.user
    user.first_name = "王学员"
    user.save()
    return user
