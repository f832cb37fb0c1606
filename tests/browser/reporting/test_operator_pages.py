"""On a phone an operator finds a record the province refused, re-drives it once the province
knows the learner, and sees it delivered in the learner's history (Chinese pages)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import override_settings

from tests.browser.conftest import sign_in
from tests.component.reporting.conftest import Province, write_study
from xueshi_reporting import delivery

PHONE = {"viewport": {"width": 375, "height": 740}, "locale": "zh-CN", "is_mobile": True, "has_touch": True}
ZH = {"Accept-Language": "zh-CN"}


def test_operator_redrives_a_refused_record_on_a_phone(demo_live_server: Any, browser: Any) -> None:
    base = demo_live_server.url
    province = Province("fj", "HMAC-SHA256", batch_size=1)
    secrets = {**settings.XUESHI_REPORTING_SECRETS, "fj": province.site_keys}
    try:
        with override_settings(XUESHI_REPORTING_SECRETS=secrets, XUESHI_REPORTING_BACKOFF_SECONDS=0):
            write_study(learners=1, days=2)
            province.platform.controls.reject_ids = ["350102199003070001"]
            delivery.run("fj")
            context = browser.new_context(**PHONE, extra_http_headers=ZH)
            page = sign_in(context, base, "operator")
            page.goto(f"{base}/xueshi/reporting/manage/")
            assert "向主管部门上报" in page.inner_text("h1")
            assert page.inner_text("tr[data-code='fj'] .rp-pending") == "1"  # held behind the refused one
            assert "登记库" in page.inner_text("#rp-dead")
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
            province.platform.controls.reject_ids = []
            page.check("#rp-dead input[name=delivery]")
            page.click("button[value=redrive]")
            page.wait_for_url(f"{base}/xueshi/reporting/manage/")
            delivery.run("fj")
            page.reload()
            assert page.inner_text("tr[data-code='fj'] .rp-delivered") == "2"
            assert "没有死信记录" in page.inner_text("#rp-dead")
            page.goto(f"{base}/xueshi/reporting/manage/learner/?user=1")
            assert page.locator("tr[data-state='delivered']").count() == 2 and "已送达" in page.inner_text(
                "#rp-learner"
            )
            context.close()
    finally:
        province.sandbox.stop()
    assert len(province.platform.records) == 2
