"""In Chromium: the header of every page shows each role exactly its pages, the 404 page is styled
Chinese with a way home, and the language switcher goes to English and back (issue 16)."""

from __future__ import annotations

from .conftest import sign_in

MENUS = {
    "zhangsan": {
        "menu-courses",
        "menu-real-name",
        "menu-face-photo",
        "menu-my-hours",
        "menu-learning-archive",
        "menu-my-orders",
        "menu-certificates",
        "menu-my-invoices",
        "menu-portal",
        "menu-my-study",
        "menu-help",
        "menu-my-notifications",
    },
    "operator": {
        "menu-courses",
        "menu-question-bank",
        "menu-studio",
        "menu-learners",
        "menu-audit",
        "menu-suspicious",
        "menu-face-review",
        "menu-status",
        "menu-admin",
        "menu-hour-rules",
        "menu-external-hours",
        "menu-orders",
        "menu-statistics",
        "menu-certificates-staff",
        "menu-refund-requests",
        "menu-reconciliation",
        "menu-invoices",
        "menu-reporting",
        "menu-supervisor-accounts",
        "menu-portal",
        "menu-tickets",
        "menu-ratings",
        "menu-portal-content",
        "menu-send-log",
        "menu-employer-orders",
        "menu-questionnaires",
    },
    "auditor": {
        "menu-courses",
        "menu-learners",
        "menu-audit",
        "menu-suspicious",
        "menu-status",
        "menu-orders",
        "menu-statistics",
        "menu-refund-requests",
        "menu-reconciliation",
        "menu-invoices",
        "menu-portal",
        "menu-send-log",
        "menu-reporting",
        "menu-questionnaires",
    },
    "jianguan": {
        "menu-courses",
        "menu-portal",
        "menu-learners",
        "menu-suspicious",
        "menu-statistics",
        "menu-questionnaires",
    },
}


def _menu(page) -> set[str]:
    links = page.locator("#xueshi-menu a")
    return {links.nth(i).get_attribute("id") for i in range(links.count())}


def test_header_menus_show_each_role_exactly_its_pages(browser, seeded_live_server):
    base = seeded_live_server.url
    for username, expected in MENUS.items():
        context = browser.new_context(locale="zh-CN")
        page = sign_in(context, base, username)
        assert _menu(page) == expected, username
        page.goto(
            f"{base}/xueshi/identity/staff/"
            if "menu-learners" in expected
            else f"{base}/xueshi/identity/profile/"
        )
        assert _menu(page) == expected, username  # the same header on our app pages
        context.close()
    page = sign_in(browser.new_context(locale="zh-CN"), base, "zhangsan")
    assert page.locator("#menu-courses").inner_text() == "我的课程"
    page.context.close()


def test_404_page_is_styled_chinese_with_a_way_home(browser, seeded_live_server):
    base = seeded_live_server.url
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    response = page.goto(f"{base}/no/such/page/")
    assert response.status == 404
    assert page.locator("#error-title").inner_text() == "此页面不存在"
    home = page.locator("#error-home")
    assert home.inner_text() == "返回首页"
    # Paragon's primary button, from the static files the sandbox serves with DEBUG off.
    assert home.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(10, 48, 85)"
    home.click()
    page.wait_for_url(f"{base}/")
    context.close()


def test_language_switcher_goes_to_english_and_back(browser, seeded_live_server):
    base = seeded_live_server.url
    context = browser.new_context(locale="zh-CN")
    page = sign_in(context, base, "zhangsan")
    page.goto(f"{base}/xueshi/identity/profile/")
    page.select_option("#language-select", "en")
    page.click("#language-submit")
    page.wait_for_url(f"{base}/xueshi/identity/profile/")
    assert page.locator("#menu-courses").inner_text() == "My courses"
    assert page.locator("html").get_attribute("lang") == "en"
    page.select_option("#language-select", "zh-cn")
    page.click("#language-submit")
    page.wait_for_url(f"{base}/xueshi/identity/profile/")
    assert page.locator("#menu-courses").inner_text() == "我的课程"
    context.close()


def test_staff_pages_never_scroll_sideways_on_a_phone(browser, seeded_live_server):
    """At 375 px wide record tables scroll in their own box; the page keeps the phone's width."""
    base = seeded_live_server.url
    context = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 800})
    page = sign_in(context, base, "auditor")
    for path in ("/xueshi/access/audit/", "/xueshi/access/suspicious/", "/xueshi/identity/staff/"):
        page.goto(f"{base}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
    context.close()
