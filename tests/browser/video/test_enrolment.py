"""The enrolment gate in Chromium: 王五 (left un-enrolled by the demo) meets it, enrols, studies, and
the course page ticks the unit he completed (ADR 0094)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from completion.models import BlockCompletion
from django.contrib.auth import get_user_model
from opaque_keys.edx.keys import UsageKey

from tests.browser.conftest import sign_in

from .conftest import HEARTBEAT_SECONDS, LESSON1, PLAYER, play, set_fields, wait_until, watched

COURSE = "course-v1:XueshiDemo+AQ101+2026"
SHOTS = Path(__file__).resolve().parents[3] / "test-results" / "video"


@pytest.fixture
def site(demo_live_server: Any, settings: Any) -> Any:
    """The demo as seeded, short heartbeats, lesson 1 completed after a few seconds without checkpoints."""
    settings.XBLOCK_SETTINGS = {"xueshi_video": {"heartbeat_seconds": HEARTBEAT_SECONDS}}
    set_fields(LESSON1, checkpoints=[], completion_coverage=0.03)  # 3.6 s of the 120 s lesson
    return demo_live_server


def completion(username: str) -> float:
    """What the completion service recorded for lesson 1."""
    row = BlockCompletion.objects.filter(
        user=get_user_model().objects.get(username=username), block_key=UsageKey.from_string(LESSON1)
    ).first()
    return float(row.completion) if row else 0.0


def test_a_learner_enrols_studies_and_the_course_page_ticks_the_unit(browser, site):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    try:
        page = sign_in(context, site.url, "wangwu")
        page.goto(f"{site.url}/courses/{COURSE}/")
        assert "您尚未选修此课程" in page.inner_text("#enrol-box")
        assert page.locator(f'#units a[href="/xblock/{LESSON1}"]').count() == 0

        refused = page.goto(f"{site.url}/xblock/{LESSON1}")
        assert refused is not None and refused.status == 403
        assert "您尚未选修此课程" in page.inner_text("#xueshi-error")
        page.click("#enrol-button")  # enrols, then comes back to the unit
        page.wait_for_selector(f"{PLAYER}[data-state=ready]", state="attached", timeout=15000)
        assert page.url.endswith(f"/xblock/{LESSON1}")

        play(page)
        assert wait_until(lambda: watched("wangwu") >= 5, timeout=20)
        page.evaluate("() => document.querySelector('.xv-video').pause()")  # the player syncs on pause
        assert wait_until(lambda: completion("wangwu") >= 1.0, timeout=15)

        page.goto(f"{site.url}/courses/{COURSE}/")
        unit = page.locator(f'#units li[data-usage-key="{LESSON1}"]')
        assert unit.get_attribute("data-complete") == "true"
        text = unit.inner_text()
        assert "✔" in text and "已完成 100%" in text and "已计入学习时长 0 分钟" in text
        assert "已完成 1 / " in page.inner_text("#course-progress")
        assert page.locator("#enrol-box").count() == 0 and page.locator("#unenrol-button").count() == 1
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "course-progress.png"), full_page=True)
    finally:
        context.close()
