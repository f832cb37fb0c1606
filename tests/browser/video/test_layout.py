"""Layout on a desktop and on a 375-px phone, the H5 page, and screenshots for a person to look at.

Screenshots go to ``test-results/video/`` (git-ignored).
"""

import re
from pathlib import Path

from .conftest import LESSON2, PLAYER, play, wait_until, watched

SHOTS = Path(__file__).resolve().parents[3] / "test-results" / "video"


def fits_width(page):
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_desktop_and_phone_layouts(open_player):
    SHOTS.mkdir(parents=True, exist_ok=True)
    desktop = open_player("zhangsan", width=1280)
    play(desktop)
    desktop.wait_for_timeout(3000)
    desktop.click(f"{PLAYER} .xv-transcript-toggle")
    desktop.screenshot(path=str(SHOTS / "desktop.png"), full_page=True)
    assert desktop.locator(f"{PLAYER} .xv-cue").count() >= 10
    first = desktop.locator(f"{PLAYER} .xv-cue").nth(1).inner_text()
    assert first.startswith("0:10") and len(re.findall(r"\d+:\d\d", first)) == 1  # its time, once
    phone = open_player("lisi", width=375)
    assert fits_width(phone)
    for selector in (".xv-play", ".xv-slider", ".xv-cc", ".xv-fullscreen"):
        box = phone.locator(f"{PLAYER} {selector}").bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375
        assert box["height"] >= 40  # touch-sized
    phone.screenshot(path=str(SHOTS / "phone.png"), full_page=True)


def test_h5_page_plays_under_the_same_rules(browser, video_site):
    """The HLS lesson: segments are whole files, so the media can seek anywhere (see test_playback)."""
    context = browser.new_context(
        viewport={"width": 375, "height": 740},
        user_agent="Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 Chrome/120 Mobile MicroMessenger/8.0",
    )
    try:
        from tests.browser.conftest import sign_in

        page = sign_in(context, video_site.url, "wangwu")
        course, usage = LESSON2.split("+type@")[0].replace("block-v1:", "course-v1:"), LESSON2
        page.goto(f"{video_site.url}/courses/{course}/xblock/{usage}/handler/h5")
        page.wait_for_selector(f"{PLAYER}[data-state=ready]", state="attached")
        assert fits_width(page)
        play(page)
        assert wait_until(lambda: watched("wangwu", LESSON2) >= 2, timeout=15)
        page.evaluate("() => { document.querySelector('.xv-video').currentTime = 100; }")
        page.wait_for_timeout(500)
        assert 1 < page.evaluate("() => document.querySelector('.xv-video').currentTime") < 10
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "h5.png"), full_page=True)
    finally:
        context.close()
