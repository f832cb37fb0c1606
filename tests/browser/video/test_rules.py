"""Hidden pages and the anti-idle challenge, in Chromium against the live sandbox."""

from xueshi_studytime.challenges import code_for

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
    # The code is only in the picture: the prompt shows it, and its text is nowhere in the page.
    src = page.get_attribute(f"{PLAYER} .xv-modal-image", "src")
    challenge_id = src.rstrip("/").split("/")[-2]
    assert page.evaluate(f"() => fetch('{src}').then(r => r.headers.get('content-type'))") == "image/png"
    assert code_for(challenge_id) not in page.inner_text(f"{PLAYER} .xv-modal")
    page.wait_for_timeout(3000)
    assert watched("lisi") <= frozen + 0.5
    # Confirming without the code, or with a wrong one, keeps the prompt and the credit stopped.
    page.click(f"{PLAYER} .xv-modal-confirm")
    page.fill(f"{PLAYER} .xv-modal-code", f"{(int(code_for(challenge_id)) + 1) % 10000:04d}")
    page.click(f"{PLAYER} .xv-modal-confirm")
    page.wait_for_function(
        f"() => document.querySelector('{PLAYER} .xv-modal-prompt').textContent.includes('验证码不正确')"
    )
    assert page.is_visible(f"{PLAYER} .xv-modal")
    # A person reads the picture (the test reads the code the server drew) and types it.
    page.fill(f"{PLAYER} .xv-modal-code", code_for(challenge_id))
    page.click(f"{PLAYER} .xv-modal-confirm")
    page.wait_for_selector(f"{PLAYER} .xv-modal", state="hidden")
    play(page)
    assert wait_until(lambda: watched("lisi") >= frozen + 2, timeout=15)
