"""The site's payments wired to the WeChat Pay and Alipay sandboxes, end to end over loopback HTTP.

The learner checks out through the real views (test client); the sandboxes talk to the site's
real notify endpoint on ``live_server`` (MariaDB behind it), exactly as the providers would.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group

from sandbox.alipay import signing
from sandbox.alipay.server import AlipaySandbox
from sandbox.alipay.state import Merchant
from sandbox.lms.models import Enrollment
from sandbox.unionpay import pki
from sandbox.unionpay.server import UnionPaySandbox
from sandbox.unionpay.state import Merchant as UnionPayMerchant
from sandbox.wechat_oauth.server import OAuthSandbox
from sandbox.wechatpay.server import WeChatPaySandbox
from tests.component.payments.conftest import make_user, paid_course, signed_in  # noqa: F401  (fixture)
from xueshi_core import roles
from xueshi_payments.conf import configured_channels
from xueshi_payments.models import Order

PC = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0", "HTTP_ACCEPT_LANGUAGE": "zh-cn"}
PHONE = {
    "HTTP_USER_AGENT": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148",
    "HTTP_ACCEPT_LANGUAGE": "zh-cn",
}
ALIPAY_APP_ID, ALIPAY_SELLER_ID = "2021000117600001", "2088721000000001"


@pytest.fixture(scope="session")
def wechat_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WeChatPaySandbox]:
    var = tmp_path_factory.mktemp("wechatpay-live")
    with WeChatPaySandbox(var, time_scale=0.001) as sandbox:
        # WeChat's web authorisation on the same port, as `python -m sandbox.wechatpay` mounts it;
        # the site's host in these tests is the test client's.
        domains = ("127.0.0.1", "localhost", "testserver")
        sandbox.mounted.append(OAuthSandbox(sandbox.keys.appid, sandbox.keys.app_secret, domains).handle)
        yield sandbox


@pytest.fixture(scope="session")
def alipay_keys() -> dict[str, Any]:
    return {name: signing.new_private_key() for name in ("alipay", "app", "forger")}


@pytest.fixture
def alipay_server(alipay_keys: dict[str, Any]) -> Iterator[AlipaySandbox]:
    merchant = Merchant(ALIPAY_APP_ID, ALIPAY_SELLER_ID, alipay_keys["app"].public_key())
    with AlipaySandbox(alipay_keys["alipay"], [merchant], time_scale=0.0005) as server:
        yield server


def pay_through_sandboxes(
    settings: Any, site_url: str, wechat: WeChatPaySandbox, alipay: AlipaySandbox, keys: dict[str, Any]
) -> None:
    """Point the site's WeChat Pay and Alipay channels at the sandboxes, notices to ``site_url``."""
    wechat.controls.reset()
    notify = f"{site_url}/xueshi/payments/notify/"
    settings.XUESHI_WECHATPAY = {**wechat.settings(), "REFUND_NOTIFY_URL": notify + "wechat/"}
    settings.XUESHI_ALIPAY = {
        "APP_ID": ALIPAY_APP_ID,
        "SELLER_ID": ALIPAY_SELLER_ID,
        "APP_PRIVATE_KEY": signing.private_pem(keys["app"]),
        "ALIPAY_PUBLIC_KEY": signing.public_pem(keys["alipay"]),
        "GATEWAY": alipay.gateway_url,
        "TIMEOUT": "5",
    }
    settings.XUESHI_PAYMENT_CHANNELS = configured_channels(settings.XUESHI_WECHATPAY, settings.XUESHI_ALIPAY)
    settings.XUESHI_PAYMENTS_NOTIFY_BASE_URL = site_url
    settings.XUESHI_PAYMENTS_UNENROL_ON_FULL_REFUND = True


@pytest.fixture
def site(
    live_server: Any,
    transactional_db: Any,
    settings: Any,
    wechat_server: WeChatPaySandbox,
    alipay_server: AlipaySandbox,
    alipay_keys: dict[str, Any],
) -> Any:
    """The live site paying through both sandboxes, notices to its own notify endpoint."""
    pay_through_sandboxes(settings, live_server.url, wechat_server, alipay_server, alipay_keys)
    return live_server


@pytest.fixture
def buyer(db: Any) -> Any:
    return signed_in(make_user("qian_buyer"))


@pytest.fixture
def operator(db: Any) -> Any:
    user = make_user("pay_desk")
    user.groups.add(Group.objects.get_or_create(name=roles.OPERATOR)[0])
    return signed_in(user)


def checkout(client: Any, course: str, channel: str, headers: dict[str, str]) -> tuple[Order, Any]:
    """POST the checkout form; the frozen order and the response (a redirect)."""
    response = client.post(f"/xueshi/payments/checkout/{course}/", {"channel": channel}, **headers)
    assert response.status_code == 302, response.content.decode()[:500]
    return Order.objects.filter(channel=channel).latest("created_at"), response


def wait_until(condition: Callable[[], bool], seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


def state_of(order: Order) -> str:
    return str(Order.objects.values_list("state", flat=True).get(pk=order.pk))


def enrolments(course: str) -> int:
    return Enrollment.objects.filter(course__course_key=course, is_active=True).count()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def post_form(url: str, fields: dict[str, str]) -> tuple[int, str]:
    """A payer's form POST (no redirects followed): the status and the ``Location`` or body."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, data=urlencode(fields).encode(), timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location") or error.read().decode("utf-8")


UNIONPAY_MER_ID = "777290058110048"


@pytest.fixture(scope="session")
def unionpay_pki() -> dict[str, Any]:
    chain = pki.Chain.new()
    return {"chain": chain, "merchant": chain.merchant(UNIONPAY_MER_ID), "forger": pki.Chain.new()}


@pytest.fixture
def unionpay_server(unionpay_pki: dict[str, Any]) -> Iterator[UnionPaySandbox]:
    merchants = [UnionPayMerchant(UNIONPAY_MER_ID, unionpay_pki["merchant"].cert)]
    with UnionPaySandbox(unionpay_pki["chain"], merchants, time_scale=0.002) as server:
        yield server


def pay_through_unionpay(
    settings: Any, site_url: str, server: UnionPaySandbox, unionpay_pki: dict[str, Any], tmp_path: Path
) -> None:
    """Point the site's UnionPay channel at the sandbox gateway (网银 offered), notices to ``site_url``."""
    chain: pki.Chain = unionpay_pki["chain"]
    (tmp_path / "merchant.pfx").write_bytes(pki.pfx(unionpay_pki["merchant"]))
    (tmp_path / "root.cer").write_text(pki.pem(chain.root.cert))
    (tmp_path / "middle.cer").write_text(pki.pem(chain.middle.cert))
    settings.XUESHI_UNIONPAY = {
        "MER_ID": UNIONPAY_MER_ID,
        "SIGN_CERT_PATH": str(tmp_path / "merchant.pfx"),
        "SIGN_CERT_PASSWORD": pki.PFX_PASSWORD,
        "MIDDLE_CERT_PATH": str(tmp_path / "middle.cer"),
        "ROOT_CERT_PATH": str(tmp_path / "root.cer"),
        "GATEWAY": server.base_url,
        "TIMEOUT": "5",
    }
    settings.XUESHI_PAYMENT_CHANNELS = configured_channels({}, {}, settings.XUESHI_UNIONPAY)
    settings.XUESHI_PAYMENTS_NOTIFY_BASE_URL = site_url
    settings.XUESHI_PAYMENTS_UNENROL_ON_FULL_REFUND = True
