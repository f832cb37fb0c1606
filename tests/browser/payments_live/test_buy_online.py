"""A learner buys the paid demo course with WeChat Pay (the QR's payer page, 确认支付) on a PC and with
Alipay and with 网银 (UnionPay) on a 375 px phone; the order page turns into 已支付，已选课 by itself
and the course opens."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import sign_in
from tests.browser.payments.test_buy_by_transfer import PHONE, fits_the_phone
from tests.component.payments_live.conftest import pay_through_sandboxes, pay_through_unionpay
from xueshi_payments.demo import PAID_DEMO_COURSE_KEY


@pytest.fixture
def paying_site(
    demo_live_server: Any, settings: Any, wechat_server: Any, alipay_server: Any, alipay_keys: Any
) -> Any:
    """The demo site (seeded as `make sandbox` seeds it) paying through both sandboxes."""
    pay_through_sandboxes(settings, demo_live_server.url, wechat_server, alipay_server, alipay_keys)
    return demo_live_server


PAID = "document.getElementById('order-state').textContent.trim() === '已支付，已选课'"


def test_wechat_native_qr_paid_on_the_payer_page_turns_the_order_page_by_itself(
    paying_site: Any, wechat_server: Any, browser: Any
) -> None:
    base = paying_site.url
    learner = browser.new_context(locale="zh-CN", extra_http_headers={"Accept-Language": "zh-CN"})
    page = sign_in(learner, base, "wangwu")
    page.goto(f"{base}/courses/{PAID_DEMO_COURSE_KEY}/")
    page.click("#buy-button")
    page.check("#channel-wechat")
    page.click("#pay-button")
    page.wait_for_selector("#pay-qr svg")
    assert page.inner_text("#order-state") == "待支付"
    code_url = page.get_attribute("#pay-qr", "data-pay-url")
    assert code_url and code_url.startswith("weixin://wxpay/bizpayurl?pr=")

    phone = learner.new_page()  # the payer's phone, as the QR's URL opens it in the sandbox
    phone.goto(wechat_server.payer_url(code_url))
    assert phone.inner_text("#amount") == "¥30.00"
    phone.click("#confirm-pay")
    phone.wait_for_selector("#pay-result[data-status='SUCCESS']")

    page.wait_for_function(PAID, timeout=15000)  # no reload by the test: the page polls
    page.click("#study-link")
    page.wait_for_selector("#course-progress")
    learner.close()


def test_alipay_wap_on_a_phone_comes_back_paid_and_enrolled(
    paying_site: Any, alipay_server: Any, browser: Any
) -> None:
    base = paying_site.url
    learner = browser.new_context(**PHONE, extra_http_headers={"Accept-Language": "zh-CN"})
    page = sign_in(learner, base, "lisi")
    page.goto(f"{base}/xueshi/payments/checkout/{PAID_DEMO_COURSE_KEY}/")
    assert fits_the_phone(page)
    page.check("#channel-alipay")
    page.click("#pay-button")
    page.wait_for_url(f"{alipay_server.base_url}/**")  # Alipay's mobile cashier
    page.click("button:has-text('确认付款')")
    page.wait_for_url(f"{base}/xueshi/payments/orders/**")  # the signed return
    page.wait_for_function(PAID, timeout=15000)
    assert fits_the_phone(page)
    page.click("#study-link")
    page.wait_for_selector("#course-progress")
    learner.close()


def test_unionpay_online_banking_on_a_phone_posts_to_the_bank_and_comes_back_paid(
    demo_live_server: Any, settings: Any, unionpay_server: Any, unionpay_pki: Any, tmp_path: Any, browser: Any
) -> None:
    """ADR 0164: the signed form goes to the gateway by itself; the bank's form POST comes back."""
    base = demo_live_server.url
    pay_through_unionpay(settings, base, unionpay_server, unionpay_pki, tmp_path)
    learner = browser.new_context(**PHONE, extra_http_headers={"Accept-Language": "zh-CN"})
    page = sign_in(learner, base, "lisi")
    page.goto(f"{base}/xueshi/payments/checkout/{PAID_DEMO_COURSE_KEY}/")
    assert fits_the_phone(page)
    page.check("#channel-unionpay")
    assert "网银" in page.inner_text("label:has(#channel-unionpay)")
    page.click("#pay-button")
    page.wait_for_url(f"{unionpay_server.base_url}/**")  # the order page posted the form itself
    assert "¥30.00" in page.inner_text("body")
    page.click("button:has-text('确认支付')")
    page.wait_for_url(f"{base}/xueshi/payments/orders/**")  # the bank's signed form POST, then 303
    page.wait_for_function(PAID, timeout=15000)
    assert fits_the_phone(page)
    page.click("#study-link")
    page.wait_for_selector("#course-progress")
    learner.close()
