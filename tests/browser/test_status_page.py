"""In Chromium: the sandbox shows every Xueshi app and XBlock discovered through entry points as loaded."""

from importlib.metadata import entry_points

from .conftest import sign_in

GROUPS = ("lms.djangoapp", "xblock.v1")


def declared_components():
    found = set()
    for group in GROUPS:
        for ep in entry_points(group=group):
            if ep.dist and ep.dist.metadata["Name"] == "openedx-xueshi":
                found.add((group, ep.name))
    return found


def test_status_page_lists_every_discovered_component_as_loaded(browser, seeded_live_server):
    context = browser.new_context(locale="zh-CN")
    page = sign_in(context, seeded_live_server.url, "operator")
    page.goto(f"{seeded_live_server.url}/xueshi/status/")
    rows = page.locator("#xueshi-components tbody tr")
    shown = {
        (rows.nth(i).get_attribute("data-group"), rows.nth(i).get_attribute("data-name")): rows.nth(
            i
        ).get_attribute("data-loaded")
        for i in range(rows.count())
    }
    declared = declared_components()
    assert declared, "no entry points found: is openedx-xueshi installed?"
    assert set(shown) == declared
    assert set(shown.values()) == {"yes"}
    assert page.locator("#xueshi-overall").get_attribute("class") == "ok"
    context.close()


def test_home_page_offers_the_demo_course_and_logins_in_chinese(browser, seeded_live_server):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{seeded_live_server.url}/")
    courses = page.locator("#courses").inner_text()
    assert courses.count("安全生产继续教育（演示课程）") == 1
    assert "付费演示课程" in courses  # the paid demo course (issue 17) is offered beside the free ones
    assert "zhangsan" in page.locator("#logins").inner_text()
    context.close()


def test_learners_cannot_open_the_status_page(browser, seeded_live_server):
    context = browser.new_context()
    page = sign_in(context, seeded_live_server.url, "zhangsan")
    response = page.goto(f"{seeded_live_server.url}/xueshi/status/")
    assert response is not None and response.status == 403  # view_status: staff, operators, auditors
    context.close()


def test_a_learner_walks_from_home_to_a_playing_unit(browser, seeded_live_server):
    context = browser.new_context(locale="zh-CN")
    page = sign_in(context, seeded_live_server.url, "lisi")
    page.click("#courses a")
    page.click("#units li a >> nth=0")
    page.wait_for_selector("video")
    # The runtime marks the block once its init function has run, a moment after the <video> exists.
    page.wait_for_selector(".xblock-v1[data-block-type=xueshi_video][data-initialized=true]", timeout=15000)
    context.close()
