"""Real playback in Chromium against the live sandbox: credit follows the server's clock, not the page.

Each test plays a demo lesson for a few seconds with 2-second heartbeats and reads what the
ledger credited through ``xueshi_studytime.api`` (server state, never the page's numbers).
"""

import time

from xueshi_studytime import conf

from .conftest import (
    HEARTBEAT_SECONDS,
    LESSON1,
    LESSON2,
    PLAYER,
    credited_today,
    delivery_refusals,
    play,
    position,
    wait_until,
    watched,
)

SLACK = 2.5  # seconds: one heartbeat interval plus network jitter


def test_real_playback_is_credited_and_shown(open_player):
    page = open_player("zhangsan")
    started = time.monotonic()
    play(page)
    assert wait_until(lambda: watched("zhangsan") >= 5, timeout=20)
    page.click(f"{PLAYER} .xv-play")  # pause: the pause heartbeat carries the last position
    elapsed = time.monotonic() - started
    page.wait_for_timeout(1000)
    credited = watched("zhangsan")
    assert 5 <= credited <= elapsed + 0.5
    assert credited <= position(page) + 0.5
    assert credited_today("zhangsan") >= 4
    stats = page.inner_text(f"{PLAYER} .xv-stats")
    assert stats.startswith("已观看") and "今日已计入学习时长" in stats and stats.endswith("分钟")
    # With delivery proof on, the player switched to its session's URL: the bytes came, nothing refused.
    assert "xst=" in page.evaluate("() => document.querySelector('.xv-video').currentSrc")
    media = delivery_refusals("zhangsan")
    assert media["sent"] and all(media["sent"]) and media["refused"] == []


def test_hls_lesson_plays_through_hlsjs_and_is_credited(open_player):
    page = open_player("lisi", usage=LESSON2)
    play(page)
    assert wait_until(lambda: watched("lisi", LESSON2) >= 3, timeout=20)
    assert page.evaluate("() => document.querySelector('.xv-video').src.startsWith('blob:')")  # MSE
    assert delivery_refusals("lisi")["refused"] == []  # segments signed for the session were fetched


def test_dragging_the_slider_forward_is_refused_and_pulled_back(open_player):
    """On the HLS lesson, where the media can really seek anywhere.

    The sandbox serves MP4 files without HTTP range support, so Chromium cannot seek into an
    unbuffered MP4 at all and would hide what the guard does; HLS segments are whole files.
    """
    page = open_player("zhangsan", usage=LESSON2)
    play(page)
    page.wait_for_timeout(4000)

    def pulled_back_near_frontier():
        frontier = page.evaluate("() => document.querySelector('[data-usage]').xueshiPlayer.guard.limit")
        return frontier - 1.5 <= position(page) <= frontier + 1, (position(page), frontier)

    box = page.locator(f"{PLAYER} .xv-slider").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.02, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.9, box["y"] + box["height"] / 2, steps=5)
    page.mouse.up()
    page.wait_for_timeout(500)
    ok, detail = pulled_back_near_frontier()
    assert ok, detail  # 90 % of 150 s would be 135 s
    assert page.inner_text(f"{PLAYER} .xv-notice")  # "只能拖动到已观看过的部分" or the server's refusal
    # The console is no way around it either: the guard pulls back on `seeking`.
    page.evaluate("() => { document.querySelector('.xv-video').currentTime = 9999; }")
    page.wait_for_timeout(800)
    ok, detail = pulled_back_near_frontier()
    assert ok, detail
    # Keyboard: End goes to the furthest point watched, then ArrowRight cannot pass it.
    page.focus(f"{PLAYER} .xv-slider")
    page.keyboard.press("End")
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(500)
    ok, detail = pulled_back_near_frontier()
    assert ok, detail
    assert page.get_attribute(f"{PLAYER} .xv-slider", "aria-valuetext").endswith("秒")
    page.wait_for_timeout(3000)
    assert watched("zhangsan", LESSON2) < 14  # nothing beyond what was really played


def test_playback_resumes_where_the_server_says(open_player):
    page = open_player("lisi", usage=LESSON2)
    play(page)
    assert wait_until(lambda: watched("lisi", LESSON2) >= 6, timeout=20)
    page.click(f"{PLAYER} .xv-play")
    page.wait_for_timeout(1000)
    left_at = position(page)
    page.reload()
    page.wait_for_selector(f"{PLAYER}[data-state=ready]", state="attached")
    page.wait_for_function("() => document.querySelector('.xv-video').currentTime > 1")
    assert abs(position(page) - left_at) < 2.5
    # Playing on switches to the new session's URL where it was, and earns from there.
    before = watched("lisi", LESSON2)
    play(page)
    assert wait_until(lambda: watched("lisi", LESSON2) >= before + 4, timeout=20)
    assert abs(position(page) - left_at) < 2.5 + 8
    assert delivery_refusals("lisi")["refused"] == []


def test_a_resumed_mp4_earns_from_the_middle_with_ranges_delivered_to_its_session(open_player):
    page = open_player("wangwu", usage=LESSON1)
    play(page)
    assert wait_until(lambda: watched("wangwu") >= 6, timeout=20)
    page.click(f"{PLAYER} .xv-play")
    page.wait_for_timeout(1000)
    left_at = position(page)
    page.reload()
    page.wait_for_selector(f"{PLAYER}[data-state=ready]", state="attached")
    play(page)
    assert wait_until(lambda: watched("wangwu") >= left_at + 4, timeout=20)
    assert position(page) >= left_at
    media = delivery_refusals("wangwu")
    assert len(media["sent"]) == 2 and all(media["sent"]) and media["refused"] == []


def test_playback_rate_from_the_console_is_undone_and_not_credited(open_player):
    page = open_player("wangwu")
    started = time.monotonic()
    play(page)
    page.evaluate("() => { document.querySelector('.xv-video').playbackRate = 2; }")
    page.wait_for_timeout(300)
    assert page.evaluate("() => document.querySelector('.xv-video').playbackRate") == 1
    notice = page.inner_text(f"{PLAYER} .xv-notice")  # ours, or the server's refusal that follows it
    assert "速度" in notice or "倍速" in notice
    page.wait_for_timeout(6000)
    elapsed = time.monotonic() - started
    assert watched("wangwu") <= elapsed + 0.5
    assert position(page) <= elapsed + 0.5


ACCELERATE_CLOCKS = """(() => {
  const factor = 10;
  const realNow = Date.now.bind(Date), realPerf = performance.now.bind(performance);
  const start = realNow(), perfStart = realPerf();
  Date.now = () => start + (realNow() - start) * factor;
  performance.now = () => perfStart + (realPerf() - perfStart) * factor;
  const realTimeout = window.setTimeout.bind(window), realInterval = window.setInterval.bind(window);
  window.setTimeout = (fn, ms, ...args) => realTimeout(fn, (ms || 0) / factor, ...args);
  window.setInterval = (fn, ms, ...args) => realInterval(fn, (ms || 0) / factor, ...args);
  // Speed-up tools also push the media forward to match their fast clock.
  realInterval(() => {
    const video = document.querySelector('.xv-video');
    if (video && !video.paused) { video.currentTime += 0.9; }
  }, 100);
})();"""


def test_accelerated_page_clocks_earn_no_extra_credit(browser, video_site, open_player):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.add_init_script(ACCELERATE_CLOCKS)
    try:
        page = open_player("lisi", context=context)
        started = time.monotonic()
        play(page)
        page.wait_for_timeout(8000)
        assert page.evaluate("() => performance.now()") > 50000  # the page's clock did run 10x
        # The page keeps beating: read the credit first, then the time, so a beat landing between
        # the two cannot be counted against a clock read before it.
        credited, today = watched("lisi"), credited_today("lisi")
        elapsed = time.monotonic() - started
        # The ledger's bound: server time x rate (1x here) + one jitter bank (crediting.py, ADR 0040),
        # not the page's clock, which ran ten times faster.
        bound = elapsed + conf.jitter_seconds()
        assert credited <= bound, (credited, elapsed)
        assert today <= bound
    finally:
        context.close()


def test_a_second_browser_takes_over_and_the_first_stops_with_a_message(open_player):
    first = open_player("zhangsan")
    play(first)
    first.wait_for_timeout(2500)
    second = open_player("zhangsan")
    play(second)
    first.wait_for_selector(f"{PLAYER} .xv-overlay:not([hidden])", timeout=HEARTBEAT_SECONDS * 3000)
    assert first.evaluate("() => document.querySelector('.xv-video').paused")
    assert first.inner_text(f"{PLAYER} .xv-overlay-text")
    assert first.get_attribute(PLAYER, "data-state") == "stopped"
    before = watched("zhangsan")
    # The second browser's playback counts once it passes what the first already covered.
    assert wait_until(lambda: watched("zhangsan") > before + 1, timeout=12)
    assert not second.evaluate("() => document.querySelector('.xv-video').paused")
    assert first.evaluate("() => document.querySelector('.xv-video').paused")


def test_tabs_of_one_browser_pause_each_other_at_once(open_player):
    first = open_player("wangwu")
    play(first)
    second = first.context.new_page()  # a second tab, already signed in
    second.goto(first.url.replace("video_lesson1", "video_lesson2"))
    second.wait_for_selector(f"{PLAYER}[data-state=ready]", state="attached")
    play(second)
    # BroadcastChannel: well before the server's next heartbeat reply could stop it.
    paused = "() => document.querySelector('.xv-video').paused"
    first.wait_for_function(paused, timeout=HEARTBEAT_SECONDS * 400)
    assert "另一个标签页" in first.inner_text(f"{PLAYER} .xv-notice")
