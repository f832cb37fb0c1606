"""On a 375 px phone a learner requests an invoice, sees it issued and opens the PDF; an operator
sees the tax clerk logged out and retries a failed request once the clerk is back."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import sign_in
from tests.component.invoices.conftest import paid_order, settle
from xueshi_invoices import tasks
from xueshi_invoices.models import InvoiceRequest
from xueshi_payments.demo import PAID_DEMO_COURSE_KEY

PHONE = {"viewport": {"width": 375, "height": 740}, "locale": "zh-CN", "is_mobile": True, "has_touch": True}
ZH = {"Accept-Language": "zh-CN"}


def fits_the_phone(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def _sweep_until(serial: str, done: set[str]) -> str:
    def once() -> str:
        tasks.sweep()
        return InvoiceRequest.objects.get(serial=serial).state

    return settle(once, done, seconds=20)


def test_learner_requests_and_opens_the_pdf_operator_retries(
    demo_live_server: Any, browser: Any, nuonuo: Any, django_user_model: Any
) -> None:
    base = demo_live_server.url
    learner_user = django_user_model.objects.get(username="wangwu")
    paid_order(learner_user, PAID_DEMO_COURSE_KEY)
    phone = browser.new_context(**PHONE, extra_http_headers=ZH)
    page = sign_in(phone, base, "wangwu")
    page.goto(f"{base}/xueshi/invoices/mine/")
    assert "我的发票" in page.inner_text("h1") and fits_the_phone(page)
    page.fill("#buyer_name", "王五")
    page.click("#invoice-request-form button[type=submit]")
    page.wait_for_url(f"{base}/xueshi/invoices/mine/")
    serial = page.get_attribute("[data-serial]", "data-serial")
    assert _sweep_until(serial, {"issued", "failed"}) == "issued"
    page.reload()
    assert page.inner_text(f"[data-serial='{serial}'] .inv-state") == "已开具" and fits_the_phone(page)
    href = page.get_attribute(".inv-file-pdf", "href")
    pdf = page.request.get(base + href)
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    page.click(".inv-file-pdf")  # opens inline in the browser

    # A second order while the tax clerk is logged out: it fails after its retries.
    nuonuo.platform.controls.clerk_logged_in = False
    paid_order(learner_user, PAID_DEMO_COURSE_KEY)
    page.goto(f"{base}/xueshi/invoices/mine/")
    page.fill("#buyer_name", "王五")
    page.click("#invoice-request-form button[type=submit]")
    page.wait_for_url(f"{base}/xueshi/invoices/mine/")
    failed = InvoiceRequest.objects.exclude(serial=serial).get().serial
    assert _sweep_until(failed, {"failed"}) == "failed"

    staff = browser.new_context(locale="zh-CN", extra_http_headers=ZH)
    desk = sign_in(staff, base, "operator")
    desk.goto(f"{base}/xueshi/invoices/manage/")
    assert desk.get_attribute("#clerk-state", "data-state") == "logged_out"
    assert "已退出" in desk.inner_text("#clerk-state")
    nuonuo.platform.controls.clerk_logged_in = True
    desk.click(f"tr[data-serial='{failed}'] .inv-retry")
    desk.wait_for_url(f"{base}/xueshi/invoices/manage/")
    assert _sweep_until(failed, {"issued", "failed"}) == "issued"
    phone.close()
    staff.close()
