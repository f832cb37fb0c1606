"""On a 375 px phone a learner opens a questionnaire from its QR link, signs in, answers, sees the
thanks page, and re-opening the link is refused; the operator's results then count the answer."""

from __future__ import annotations

import io
from typing import Any

from .test_questions import PHONE, ZH, fits_the_phone


def test_learner_answers_from_the_qr_link_once(seeded_live_server: Any, browser: Any) -> None:
    import segno

    from tests.browser.conftest import sign_in

    base = seeded_live_server.url

    desk = browser.new_context(locale="zh-CN", extra_http_headers=ZH)
    staff = sign_in(desk, base, "operator")
    staff.click("#menu-questionnaires")
    staff.click("tr[data-slug=demo01] a")
    link = staff.get_attribute("#questionnaire-link", "href")
    assert link == f"{base}/xueshi/services/q/demo01/"
    qr = staff.request.get(f"{base}{staff.get_attribute('#questionnaire-qr', 'src')}").body()
    expected = io.BytesIO()
    segno.make(link, error="m").save(expected, kind="svg", scale=6, border=2)
    assert qr == expected.getvalue()  # the QR code carries exactly this link

    phone = browser.new_context(**PHONE, extra_http_headers=ZH)
    page = phone.new_page()
    page.goto(link)  # scanning the code: not signed in yet
    page.fill("input[name=username]", "zhangsan")
    page.fill("input[name=password]", "xueshi-demo-2026")
    page.click("button[type=submit]")
    page.wait_for_selector("#questionnaire-form")
    assert page.inner_text("#questionnaire-title") == "课程满意度问卷" and fits_the_phone(page)
    page.click("#questionnaire-submit")  # the browser itself asks for the required answers first
    assert page.locator("#questionnaire-form").count() == 1
    page.locator("#question-1 label").nth(1).click()
    page.locator("#question-2 label").nth(0).click()
    page.locator("#question-3 label").nth(4).click()
    page.fill("#question-4 textarea", "希望增加更多案例讲解。")
    page.click("#questionnaire-submit")
    page.wait_for_selector("#questionnaire-thanks")
    assert "感谢您的填写" in page.inner_text("h1") and fits_the_phone(page)

    page.goto(link)
    refusal = page.wait_for_selector("#services-error")
    assert refusal.get_attribute("data-code") == "already_answered"
    assert "已经填写过" in refusal.inner_text() and fits_the_phone(page)
    phone.close()

    staff.reload()
    assert staff.get_attribute("#questionnaire-total", "data-total") == "1"
    assert staff.get_attribute("#result-1 tr:nth-child(2)", "data-count") == "1"
    assert "希望增加更多案例讲解。" in staff.inner_text("#result-4") and "张*" in staff.inner_text(
        "#result-4"
    )
    desk.close()
