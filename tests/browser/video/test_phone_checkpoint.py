"""The checkpoint panel on a 375-px phone: it stays inside the video, scrolls inside itself, and
leaves the player's controls uncovered (issue 16 saw it overflow the video and cover them).

Options are lettered by their shown position (A, B, C from the top), as in practice.
"""

from __future__ import annotations

from .conftest import LESSON2, PLAYER, play, set_fields
from .test_checkpoints import QUESTION, QUIZ
from .test_layout import SHOTS

WIDTH = 375
#: The control under the point at the centre of each control's box, or what covers it.
TOPMOST = """(selector) => {
  const control = document.querySelector(selector);
  const box = control.getBoundingClientRect();
  const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
  return hit !== null && control.contains(hit);
}"""


def test_checkpoint_panel_fits_a_phone_and_leaves_the_controls_reachable(open_player):
    long_stem = "进入作业现场前，作业人员应当如何做好个人防护？请根据本单位的安全操作规程作答。" * 3
    set_fields(LESSON2, checkpoints=[{**QUESTION, "question": {**QUESTION["question"], "stem": long_stem}}])
    page = open_player("zhangsan", usage=LESSON2, width=WIDTH)
    play(page)
    page.wait_for_selector(QUIZ, state="visible", timeout=15000)
    panel = page.locator(QUIZ).bounding_box()
    stage = page.locator(f"{PLAYER} .xv-stage").bounding_box()
    assert panel and stage
    assert panel["x"] >= 0 and panel["x"] + panel["width"] <= WIDTH
    assert panel["y"] + panel["height"] <= stage["y"] + stage["height"] + 0.5  # inside the video
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    for control in (".xv-play", ".xv-slider", ".xv-fullscreen"):
        page.locator(f"{PLAYER} {control}").scroll_into_view_if_needed()
        assert page.evaluate(TOPMOST, f"{PLAYER} {control}"), f"{control} is covered"
    # The question scrolls inside the panel; its last button is reachable there.
    assert page.evaluate(f"() => getComputedStyle(document.querySelector('{QUIZ}')).overflowY") == "auto"
    page.locator(f"{QUIZ} .xv-quiz-submit").scroll_into_view_if_needed()
    assert page.evaluate(TOPMOST, f"{QUIZ} .xv-quiz-submit")
    letters = [text.split(".")[0] for text in page.locator(f"{QUIZ} .xv-quiz-option").all_inner_texts()]
    assert letters == ["A", "B", "C"]  # shuffled options, lettered in shown order
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "phone-checkpoint.png"), full_page=True)
