"""Quiz checkpoints in Chromium: the player stops at them, seeking cannot pass them, answers stay secret.

The HLS lesson (whose media can seek anywhere) gets a checkpoint a few seconds in, so each test
plays only seconds of real time; what the server credited is read through the ledger's API.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from django.contrib.auth import get_user_model

from xueshi_studytime import api as ledger

from .conftest import LESSON2, PLAYER, play, position, set_fields, wait_until, watched

QUIZ = f"{PLAYER} .xv-quiz"
EXPLANATION = "穿戴防护用品是岗前的基本要求"
QUESTION = {
    "id": "cp-test-ppe",
    "at": 4.0,
    "kind": "question",
    "policy": "rewind",
    "rewind_to": None,
    "tags": {},
    "question": {
        "type": "single",
        "stem": "进入作业现场前应当怎么做？",
        "options": [
            {"key": "A", "text": "正确穿戴劳动防护用品"},
            {"key": "B", "text": "先干活再说"},
            {"key": "C", "text": "看别人怎么做"},
        ],
        "answer": ["A"],
        "explanation": EXPLANATION,
    },
}


def record_responses(page: Any) -> list[str]:
    """Collect the text of every response the page receives from here on."""
    bodies: list[str] = []

    def keep(response: Any) -> None:
        with contextlib.suppress(Exception):
            bodies.append(response.text())

    page.on("response", keep)
    return bodies


def choose(page: Any, text: str) -> None:
    page.locator(f"{QUIZ} .xv-quiz-option", has_text=text).click()
    page.click(f"{QUIZ} .xv-quiz-submit")


def test_checkpoint_pauses_a_wrong_answer_rewinds_a_right_one_resumes(open_player):
    set_fields(LESSON2, checkpoints=[QUESTION])
    page = open_player("zhangsan", usage=LESSON2)
    bodies = record_responses(page)
    assert EXPLANATION not in page.content() and "正确穿戴" not in page.content()
    play(page)
    page.wait_for_selector(QUIZ, state="visible", timeout=15000)
    assert page.evaluate("() => document.querySelector('.xv-video').paused")
    assert abs(position(page) - 4.0) < 0.3
    assert "进入作业现场前" in page.inner_text(QUIZ)
    page.wait_for_timeout(2500)  # a heartbeat or two while the question is open
    assert watched("zhangsan", LESSON2) <= 4.0 + 1e-6
    # Nothing the page received so far holds the answer or the explanation.
    assert not [b for b in bodies if EXPLANATION in b or '"correct_answer"' in b]
    choose(page, "先干活再说")
    page.wait_for_selector(f"{QUIZ}[data-outcome=rewind]")
    assert EXPLANATION not in page.inner_text(QUIZ)  # the learner will answer again
    page.click(f"{QUIZ} .xv-quiz-continue")
    page.wait_for_function("() => { const v = document.querySelector('.xv-video'); return !v.paused; }")
    assert position(page) < 2.5  # rewound to the start (no earlier checkpoint)
    # Watching again brings the question back at its time; now the right answer.
    page.wait_for_selector(f"{QUIZ}:not([data-outcome])", state="visible", timeout=15000)
    choose(page, "正确穿戴劳动防护用品")
    page.wait_for_selector(f"{QUIZ}[data-outcome=passed]")
    assert EXPLANATION in page.inner_text(QUIZ)
    page.click(f"{QUIZ} .xv-quiz-continue")
    page.wait_for_function("() => !document.querySelector('.xv-video').paused")
    assert wait_until(lambda: watched("zhangsan", LESSON2) >= 7, timeout=15)  # credit continues
    user = get_user_model().objects.get(username="zhangsan")
    assert ledger.barrier_state(user.id, LESSON2).next is None


def test_seeking_past_a_checkpoint_stops_there(open_player):
    page = open_player("wangwu", usage=LESSON2)
    play(page)
    assert wait_until(lambda: watched("wangwu", LESSON2) >= 9, timeout=20)
    page.click(f"{PLAYER} .xv-play")
    page.wait_for_timeout(800)
    # The author adds a checkpoint at 0:04, behind where the learner already is.
    set_fields(LESSON2, checkpoints=[{**QUESTION, "policy": "retry"}])
    page.reload()
    # The player resumes where the learner was, and stops at the checkpoint on its way there.
    page.wait_for_selector(QUIZ, state="visible", timeout=15000)
    assert abs(position(page) - 4.0) < 0.3
    box = page.locator(f"{PLAYER} .xv-slider").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.9, box["y"] + box["height"] / 2)
    page.evaluate("() => { document.querySelector('.xv-video').currentTime = 100; }")
    page.wait_for_timeout(1000)
    assert position(page) <= 4.3
    assert page.evaluate("() => document.querySelector('.xv-video').paused")
    # Answering opens a session on the spot; the server then has seen the learner at the checkpoint.
    choose(page, "正确穿戴劳动防护用品")
    page.wait_for_selector(f"{QUIZ}[data-outcome=passed]")
    page.click(f"{QUIZ} .xv-quiz-continue")
    page.wait_for_function("() => !document.querySelector('.xv-video').paused")
    assert wait_until(lambda: watched("wangwu", LESSON2) >= 11, timeout=15)
    user = get_user_model().objects.get(username="wangwu")
    assert ledger.barrier_state(user.id, LESSON2).next is None


HOLD_PAGE = """<!doctype html><meta charset="utf-8"><button id="done">完成核验</button>
<script>document.getElementById('done').onclick = () =>
  window.parent.postMessage({type: 'xueshi:hold-cleared', kind: 'test_check'}, location.origin);</script>"""


def test_a_hold_pauses_shows_its_page_and_resumes_once_cleared(open_player, video_site):
    page = open_player("lisi", usage=LESSON2)
    page.context.route(
        "**/hold-check/**", lambda route: route.fulfill(body=HOLD_PAGE, content_type="text/html")
    )
    play(page)
    assert wait_until(lambda: watched("lisi", LESSON2) >= 2, timeout=15)
    user = get_user_model().objects.get(username="lisi")
    ledger.place_hold(user.id, "test_check", url=f"{video_site.url}/hold-check/1", reason="test")
    page.wait_for_selector(f"{PLAYER} .xv-hold", state="visible", timeout=10000)
    assert page.evaluate("() => document.querySelector('.xv-video').paused")
    held_at = watched("lisi", LESSON2)
    # Another window cannot clear it; a message before the hold is released does not resume.
    page.evaluate("() => window.postMessage({type: 'xueshi:hold-cleared', kind: 'test_check'}, '*')")
    page.frame_locator(f"{PLAYER} .xv-hold-frame").locator("#done").click()
    page.wait_for_timeout(1500)
    assert page.is_visible(f"{PLAYER} .xv-hold")
    assert watched("lisi", LESSON2) <= held_at + 0.5
    ledger.release_hold(user.id, "test_check")
    page.frame_locator(f"{PLAYER} .xv-hold-frame").locator("#done").click()
    page.wait_for_selector(f"{PLAYER} .xv-hold", state="hidden", timeout=10000)
    page.wait_for_function("() => !document.querySelector('.xv-video').paused")
    assert wait_until(lambda: watched("lisi", LESSON2) >= held_at + 2, timeout=15)
    assert json.dumps(ledger.active_holds(user.id), default=str) == "[]"
