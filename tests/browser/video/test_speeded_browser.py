"""Attack suite, browser part (issue 15): Chromium forced to playbackRate 2 and 16 by a script
against an honest learner at 1x, in the same run on the same live sandbox, with the sandbox's
the player's media URLs signed. The rows join the protocol-level table in ``var/attacks.json``."""

from __future__ import annotations

import json
import time

from tests.component.attacks.test_attack_suite import REPORT

from .conftest import LESSON1, play, watched

PLAY_SECONDS = 10
# What a speed-up extension does: force the rate back whenever the page's own guard resets it.
FORCE_RATE = (
    "(rate) => { const v = document.querySelector('.xv-video'); v.playbackRate = rate; "
    "window.__force = setInterval(() => { v.playbackRate = rate; }, 50); }"
)


def test_a_speeded_browser_earns_no_more_than_an_honest_one(open_player, settings):
    # The player's URLs are signed; delivery proof itself is measured by the protocol-level suite,
    # because Django's live test server answers /media/ before any URL pattern (no delivery log).
    settings.XUESHI_STUDYTIME_MEDIA_SIGNED_PREFIXES = ["/media/"]
    learners = {"honest_1x": ("zhangsan", 1.0), "browser_2x": ("lisi", 2.0), "browser_16x": ("wangwu", 16.0)}
    pages = {name: open_player(user) for name, (user, _rate) in learners.items()}
    assert "xst=" in pages["honest_1x"].evaluate("() => document.querySelector('.xv-video').currentSrc")
    for name, page in pages.items():
        play(page)
        if learners[name][1] != 1.0:
            page.evaluate(FORCE_RATE, learners[name][1])
    time.sleep(PLAY_SECONDS)
    for page in pages.values():
        page.evaluate("() => { clearInterval(window.__force); document.querySelector('.xv-video').pause(); }")
    time.sleep(1)
    table = {name: round(watched(user, LESSON1), 1) for name, (user, _rate) in learners.items()}
    print(f"\nattack suite, Chromium, {PLAY_SECONDS} s of real time: {table}")
    previous = json.loads(REPORT.read_text()) if REPORT.exists() else {}
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps({**previous, "browser": table}, indent=2, ensure_ascii=False))
    assert table["honest_1x"] >= PLAY_SECONDS / 2
    assert table["browser_2x"] <= table["honest_1x"]
    assert table["browser_16x"] <= table["honest_1x"]
