"""Hidden pages and the anti-idle challenge, in Chromium against the live sandbox."""

from .conftest import LESSON1, PLAYER, play, set_fields, set_visibility, wait_until, watched


def test_a_hidden_page_pauses_and_earns_nothing(open_player):
    page = open_player("wangwu")
    play(page)
    assert wait_until(lambda: watched("wangwu") >= 2, timeout=15)
    set_visibility(page, "hidden")
    page.wait_for_timeout(300)
    assert page.evaluate("() => document.querySelector('.xv-video').paused")
    page.wait_for_timeout(1500)
    before = watched("wangwu")
    # A script forces playback while the page stays hidden: the heartbeats say so, nothing counts.
    page.evaluate("() => document.querySelector('.xv-video').play()")
    page.wait_for_timeout(7000)
    assert not page.evaluate("() => document.querySelector('.xv-video').paused")
    assert watched("wangwu") <= before + 0.5
    set_visibility(page, "visible")


def test_the_idle_challenge_pauses_until_answered(video_site, open_player):
    set_fields(LESSON1, anti_idle_minutes=0.1)  # 6 seconds of credited play
    page = open_player("lisi")
    play(page)
    page.wait_for_selector(f"{PLAYER} .xv-modal:not([hidden])", timeout=20000)
    assert page.evaluate("() => document.querySelector('.xv-video').paused")
    assert "您还在学习吗" in page.inner_text(f"{PLAYER} .xv-modal")
    frozen = watched("lisi")
    page.wait_for_timeout(3000)
    assert watched("lisi") <= frozen + 0.5
    page.click(f"{PLAYER} .xv-modal-confirm")
    page.wait_for_selector(f"{PLAYER} .xv-modal", state="hidden")
    play(page)
    assert wait_until(lambda: watched("lisi") >= frozen + 2, timeout=15)
