"""On a 375 px phone a learner asks a question from the portal; staff see it on the desk with its
answer time, answer it, and the learner reads the answer. An operator edits the portal in the
admin and the portal page changes."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import sign_in

PHONE = {"viewport": {"width": 375, "height": 740}, "locale": "zh-CN", "is_mobile": True, "has_touch": True}
ZH = {"Accept-Language": "zh-CN"}


def fits_the_phone(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def test_learner_asks_on_a_phone_and_staff_answer(seeded_live_server: Any, browser: Any) -> None:
    base = seeded_live_server.url
    phone = browser.new_context(**PHONE, extra_http_headers=ZH)
    page = sign_in(phone, base, "zhangsan")
    page.click("#menu-portal")
    assert fits_the_phone(page)
    page.click("#portal-service a[href$='/help/']")
    page.check("input[name=kind][value=question]")
    page.fill("#subject", "学时什么时候到账？")
    page.fill("#body", "昨天看完第一章，我的学习里还没有显示。")
    page.click("#ticket-form button[type=submit]")
    page.wait_for_selector("#ticket[data-state=open]")
    serial = page.get_attribute("#ticket", "data-serial")
    assert page.inner_text("#ticket-state") == "待答复" and "前答复" in page.inner_text("#ticket")
    assert fits_the_phone(page)

    desk = browser.new_context(locale="zh-CN", extra_http_headers=ZH)
    staff = sign_in(desk, base, "operator")
    staff.click("#menu-tickets")
    row = staff.locator(f"tr[data-serial='{serial}']")
    assert row.get_attribute("data-state") == "open" and "学时什么时候到账？" in row.inner_text()
    row.locator("a").click()
    staff.fill("#body", "学时在学习当日计入，次日凌晨汇总，请明天再看。")
    staff.click("#answer-form button[type=submit]")
    staff.wait_for_selector("#ticket[data-state=answered]")
    desk.close()

    page.reload()
    assert page.inner_text("#ticket-state") == "已答复"
    assert "次日凌晨汇总" in page.inner_text(".sv-msg.staff") and fits_the_phone(page)
    page.click("#menu-my-study")
    assert page.inner_text("h1") == "我的学习" and page.locator("#chart-days > div").count() == 14
    assert fits_the_phone(page)
    phone.close()


def test_operator_edits_the_portal_and_the_page_changes(seeded_live_server: Any, browser: Any) -> None:
    base = seeded_live_server.url
    context = browser.new_context(locale="zh-CN", extra_http_headers=ZH)
    page = sign_in(context, base, "operator")
    page.click("#menu-portal-content")
    page.click("#portal-sections a[href$='/faqentry/']")
    page.click(".object-tools a.addlink")
    page.fill("#id_question", "忘记密码怎么办？")
    page.fill("#id_answer", "在登录页点击“忘记密码”，按短信提示重设。")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist")
    page.goto(f"{base}/xueshi/services/")
    assert "忘记密码怎么办？" in page.inner_text("#portal-faq")
    context.close()
