"""In Chromium: practice with feedback and the wrong-answer book; a mock exam end to end; no answer leaks."""

from __future__ import annotations

import contextlib
import json
import re
from typing import Any

import pytest
from xueshi_questionbank.models import QuestionVersion

from tests.browser.conftest import sign_in
from tests.browser.contrast import contrast_of

PRACTICE = "block-v1:XueshiDemo+AQ101+2026+type@xueshi_practice+block@practice_electrician"
EXAM = "block-v1:XueshiDemo+AQ101+2026+type@xueshi_practice+block@exam_safety"


@pytest.fixture
def open_block(browser: Any, seeded_live_server: Any) -> Any:
    contexts = []

    def _open(usage: str, width: int = 1280, user: str = "zhangsan") -> Any:
        context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
        contexts.append(context)
        page = sign_in(context, seeded_live_server.url, user)
        page.bodies = []

        def keep(response: Any) -> None:
            if "/handler/" in response.url:
                with contextlib.suppress(Exception):  # a body may be gone after navigation
                    page.bodies.append((response.url, response.text()))

        page.on("response", keep)
        page.on("dialog", lambda dialog: dialog.accept())
        page.goto(f"{seeded_live_server.url}/xblock/{usage}")
        page.wait_for_selector(".xueshi-practice[data-state=ready]")
        return page

    yield _open
    for context in contexts:
        context.close()


def answer_in_page(page: Any, item: Any, right: bool) -> None:
    """Fill a question card with a right or wrong answer (the test reads the key from the database)."""
    version = QuestionVersion.objects.get(pk=int(item.get_attribute("data-version")))
    if version.type == "blank":
        values = [b[0] for b in version.blanks] if right else ["不知道"] * len(version.blanks)
        for n, value in enumerate(values):
            item.locator(".xp-blank").nth(n).fill(value)
        return
    if version.type == "truefalse":
        keys = version.answer if right else ["false" if version.answer == ["true"] else "true"]
    elif right:
        keys = version.answer
    else:
        keys = [o["key"] for o in version.options if o["key"] not in version.answer][:1]
    for key in keys:
        item.locator(f".xp-option[data-key='{key}'] input").check()


def secrets_of(version_ids: list[int]) -> list[str]:
    """Texts that must not reach the browser before answering: explanations."""
    versions = QuestionVersion.objects.filter(pk__in=version_ids)
    return [v.explanation for v in versions if len(v.explanation) > 4]


def test_practice_feedback_and_wrong_answer_book(open_block: Any) -> None:
    page = open_block(PRACTICE)
    page.click(".xp-start")
    page.wait_for_selector(".xp-question")
    cards = page.locator(".xp-question")
    assert cards.count() == 5
    ids = [int(cards.nth(i).get_attribute("data-version")) for i in range(5)]
    before = page.content() + "".join(body for _url, body in page.bodies)
    assert "correct_answer" not in before and "explanation" not in before
    for secret in secrets_of(ids):
        assert secret not in before
    first = cards.nth(0)
    answer_in_page(page, first, right=False)
    first.locator(".xp-answer").click()
    feedback = first.locator(".xp-feedback")
    feedback.wait_for()
    assert "回答错误" in feedback.inner_text() and "正确答案" in feedback.inner_text()
    version = QuestionVersion.objects.get(pk=ids[0])
    if version.type in ("single", "multiple", "truefalse"):
        assert first.locator(".xp-option.xp-right").count() == len(version.answer)
    page.reload()
    page.wait_for_selector(".xueshi-practice[data-state=ready]")
    assert "错题本：1 题" in page.locator(".xp-footer").inner_text()
    page.click(".xp-retry")
    page.wait_for_function("document.querySelectorAll('.xp-question').length === 1")
    retry = page.locator(".xp-question")
    assert retry.count() == 1 and int(retry.nth(0).get_attribute("data-version")) == ids[0]
    answer_in_page(page, retry.nth(0), right=True)
    retry.nth(0).locator(".xp-answer").click()
    retry.nth(0).locator(".xp-feedback.xp-correct").wait_for()
    page.locator(".xp-footer", has_text="错题本：0 题").wait_for()


def test_mock_exam_end_to_end(open_block: Any) -> None:
    page = open_block(EXAM)
    page.click(".xp-start")
    page.wait_for_selector(".xp-question")
    assert page.locator(".xp-timer").is_visible()
    cards = page.locator(".xp-question")
    total = cards.count()
    assert total == 10
    ids = [int(cards.nth(i).get_attribute("data-version")) for i in range(total)]
    for i in range(total):
        answer_in_page(page, cards.nth(i), right=i < 8)
        cards.nth(i).locator("input").first.dispatch_event("change")
    page.wait_for_timeout(1500)
    seen = page.content() + "".join(body for _url, body in page.bodies)
    assert "correct_answer" not in seen and "judgement" not in seen
    for secret in secrets_of(ids):
        assert secret not in seen
    page.click(".xp-submit")
    result = page.locator(".xp-result")
    result.wait_for()
    assert "10 题答对 8 题" in result.inner_text() and "通过" in result.inner_text()
    assert page.locator(".xp-feedback").count() == total
    graded = [json.loads(b) for url, b in page.bodies if url.endswith("/submit")]
    assert graded and graded[-1]["score"]["percent"] == 80.0


def test_practice_fits_a_phone(open_block: Any) -> None:
    page = open_block(PRACTICE, width=375)
    page.click(".xp-start")
    page.wait_for_selector(".xp-question")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1
    box = page.locator(".xp-option").first.bounding_box()
    assert box is not None and box["height"] >= 30 and box["width"] <= 375


@pytest.mark.parametrize("usage", [PRACTICE, EXAM])
def test_the_practice_and_exam_badges_meet_wcag_aa_contrast(open_block: Any, usage: str) -> None:
    page = open_block(usage)
    # A host theme may give <header> light text (the badge sits in one); it must not reach the badge.
    page.add_style_tag(content="header { color: #fff; }")
    assert contrast_of(page, ".xueshi-practice .xp-badge") >= 4.5


def test_studio_editor_says_saved_or_why_saving_failed(browser: Any, seeded_live_server: Any) -> None:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1100, "height": 1200})
    try:
        page = sign_in(context, seeded_live_server.url, "operator")
        page.goto(f"{seeded_live_server.url}/studio/xblock/{EXAM}")
        form, status = ".xueshi-practice-studio", ".xueshi-practice-studio .xps-status"
        page.wait_for_selector(f".xblock-v1[data-initialized=true] {form}", state="attached")
        page.fill(f"{form} [name=question_count]", "500")
        page.click(f"{form} .xps-save")
        page.wait_for_selector(f"{status}[data-state=failed]")
        assert page.inner_text(status).startswith("保存失败：") and len(page.inner_text(status)) > 6
        saving = re.compile(r"/handler/submit_studio_edits")
        page.route(saving, lambda route: route.abort())  # the network drops the save
        page.fill(f"{form} [name=question_count]", "8")
        page.click(f"{form} .xps-save")
        page.wait_for_selector(f"{status}[data-state=failed]")
        assert page.inner_text(status) == "保存失败：无法连接服务器"
        page.unroute(saving)
        page.click(f"{form} .xps-save")
        page.wait_for_selector(f"{status}[data-state=saved]")
        assert page.inner_text(status) == "已保存"
    finally:
        context.close()
