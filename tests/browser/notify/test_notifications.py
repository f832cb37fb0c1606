"""On a 375 px phone a learner turns SMS off for payment results; the next payment honours it, and
an operator finds the email in the send log, filtered, with the address masked."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import sign_in
from xueshi_notify.models import Notification
from xueshi_payments.signals import ORDER_PAID, OrderPaid

PHONE = {"viewport": {"width": 375, "height": 740}, "locale": "zh-CN", "is_mobile": True, "has_touch": True}
ZH = {"Accept-Language": "zh-CN"}


def test_learner_chooses_on_a_phone_and_the_operator_reads_the_log(
    demo_live_server: Any, browser: Any, django_user_model: Any
) -> None:
    base = demo_live_server.url
    phone = browser.new_context(**PHONE, extra_http_headers=ZH)
    page = sign_in(phone, base, "wangwu")
    page.click("#menu-my-notifications")
    assert page.inner_text("h1") == "消息通知"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    sms = page.locator("[data-kind=payment_paid] input[name='payment_paid:sms']")
    assert sms.is_checked()
    sms.uncheck()
    page.click("form.ntf-prefs button[type=submit]")
    page.wait_for_url(f"{base}/xueshi/notify/preferences/")
    assert not page.locator("input[name='payment_paid:sms']").is_checked()

    learner = django_user_model.objects.get(username="wangwu")
    ORDER_PAID.send(sender=None, event=OrderPaid("XO2026120499999", learner.pk, 19900))
    note = Notification.objects.get(dedupe_key="order_paid:XO2026120499999")
    assert set(note.deliveries.values_list("channel", flat=True)) == {"email", "wechat"}  # no SMS row

    desk = browser.new_context(locale="zh-CN", extra_http_headers=ZH)
    log = sign_in(desk, base, "operator")
    log.click("#menu-send-log")
    log.select_option("select[name=kind]", "payment_paid")
    log.select_option("select[name=channel]", "email")
    log.click("form.filters button[type=submit]")
    row = log.locator(f"tr[data-delivery='{note.deliveries.get(channel='email').pk}']")
    assert "wangwu" in row.inner_text() and "已发送" in row.inner_text()
    assert "*" in row.locator(".ntf-to").inner_text() and learner.email not in log.content()
    assert log.locator("tr[data-channel=sms]").count() == 0
