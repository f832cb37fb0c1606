"""A learner on a 375 px phone buys the paid demo course by bank transfer; the operator confirms;
the learner's order page turns into 已支付，已选课 by itself and the course opens."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import sign_in
from xueshi_payments.demo import PAID_DEMO_COURSE_KEY

PHONE = {"viewport": {"width": 375, "height": 740}, "locale": "zh-CN", "is_mobile": True, "has_touch": True}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def fits_the_phone(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def test_a_phone_checkout_by_transfer_turns_paid_and_enrolled_by_itself(
    demo_live_server: Any, browser: Any
) -> None:
    base = demo_live_server.url
    learner = browser.new_context(**PHONE, extra_http_headers={"Accept-Language": "zh-CN"})
    page = sign_in(learner, base, "wangwu")
    page.goto(f"{base}/courses/{PAID_DEMO_COURSE_KEY}/")
    assert page.inner_text("#course-price") == "¥30.00"
    page.click("#buy-button")
    assert page.inner_text("#checkout-price") == "¥30.00" and fits_the_phone(page)
    page.check("#channel-transfer")
    page.click("#pay-button")
    page.wait_for_selector("#transfer")
    order_no = page.inner_text("#account-reference")
    assert fits_the_phone(page) and page.inner_text("#order-state") == "待支付"
    page.set_input_files("#receipt-file", {"name": "回单.png", "mimeType": "image/png", "buffer": PNG})
    page.click("#receipt-button")
    page.wait_for_selector("#under-review")

    staff = browser.new_context(locale="zh-CN", extra_http_headers={"Accept-Language": "zh-CN"})
    desk = sign_in(staff, base, "operator")
    desk.goto(f"{base}/xueshi/payments/manage/?state=reviewing")
    desk.click(f"tr[data-order-no='{order_no}'] a")
    desk.fill("#confirm-form input[name=reason]", "银行流水 0001")
    desk.click("#confirm-button")
    desk.wait_for_selector("#order[data-state='fulfilled']")

    # No reload by the test: the page polls and turns by itself.
    page.wait_for_function(
        "document.getElementById('order-state').textContent.trim() === '已支付，已选课'", timeout=15000
    )
    page.click("#study-link")
    page.wait_for_selector("#course-progress")
    assert page.locator("#buy-button").count() == 0
    learner.close()
    staff.close()
