"""The Studio editor in Chromium: duration detected from the media, server errors shown per field,
and a status line that says 已保存 or 保存失败：reason after each save."""

from opaque_keys.edx.keys import UsageKey

from sandbox.lms.models import ContentBlock
from tests.browser.conftest import sign_in

from .conftest import LESSON1
from .test_layout import SHOTS

FORM = ".xueshi-video-studio"


def test_editor_detects_duration_and_shows_field_errors(browser, video_site):
    context = browser.new_context(viewport={"width": 1100, "height": 1400}, locale="zh-CN")
    try:
        page = sign_in(context, video_site.url, "operator")
        page.goto(f"{video_site.url}/studio/xblock/{LESSON1}")
        page.wait_for_selector(f".xblock-v1[data-initialized=true] {FORM}", state="attached")
        page.fill(f"{FORM} [name=duration]", "")
        page.wait_for_function("() => document.querySelector('.xvs-video').readyState >= 1")
        page.click(f"{FORM} .xvs-detect")
        assert abs(float(page.input_value(f"{FORM} [name=duration]")) - 120) < 0.5
        page.fill(f"{FORM} [name=completion_coverage]", "30")
        page.click(f"{FORM} .xvs-save")
        error = page.locator(f"{FORM} [data-field=completion_coverage] .xvs-error")
        error.wait_for(state="visible")
        assert "50% 到 100%" in error.inner_text()
        status = page.locator(f"{FORM} .xvs-status")
        assert status.inner_text() == "保存失败：请更正标出的字段。"  # the reason is the server's
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "studio.png"), full_page=True)
        page.fill(f"{FORM} [name=completion_coverage]", "90")
        page.fill(f"{FORM} [name=display_name]", "第一课：安全生产法概述（修订）")
        page.click(f"{FORM} .xvs-save")
        page.wait_for_selector(f"{FORM}[data-saved=true]", state="attached")
        assert status.inner_text() == "已保存"  # the author sees that the save went through
        fields = ContentBlock.objects.get(usage_key=UsageKey.from_string(LESSON1)).fields
        assert fields["completion_coverage"] == 0.9
        assert fields["display_name"] == "第一课：安全生产法概述（修订）"
        assert abs(fields["duration"] - 120) < 0.5
    finally:
        context.close()


def test_author_adds_a_checkpoint_at_the_preview_time(browser, video_site):
    context = browser.new_context(viewport={"width": 1100, "height": 1400}, locale="zh-CN")
    try:
        page = sign_in(context, video_site.url, "operator")
        page.goto(f"{video_site.url}/studio/xblock/{LESSON1}")
        page.wait_for_selector(f".xblock-v1[data-initialized=true] {FORM}", state="attached")
        assert page.get_attribute(FORM, "data-checkpoints") == "2"  # the demo's question and card
        page.wait_for_function("() => document.querySelector('.xvs-video').readyState >= 1")
        # The author plays the preview, and adds a checkpoint where it is (the button pauses it).
        page.evaluate("() => document.querySelector('.xvs-video').play()")
        page.wait_for_function("() => document.querySelector('.xvs-video').currentTime > 2")
        page.click(f"{FORM} .xvs-cp-add")
        assert page.evaluate("() => document.querySelector('.xvs-video').paused")
        at = page.evaluate("() => document.querySelector('.xvs-video').currentTime")
        row = page.locator(f"{FORM} .xvs-cp").first
        assert abs(float(row.locator("[data-k=at]").input_value()) - at) < 0.2
        row.locator("[data-k=stem]").fill("发现火情应首先做什么？")
        row.locator("[data-k=options]").fill("报警\n离开\n拍照")
        row.locator("[data-k=answer]").fill("AB")  # a single-choice question with two answers
        page.click(f"{FORM} .xvs-save")
        error = page.locator(f"{FORM} [data-field=checkpoints] .xvs-error")
        error.wait_for(state="visible")
        assert "检查点 1" in error.inner_text()
        row.locator("[data-k=answer]").fill("A")
        page.click(f"{FORM} .xvs-save")
        page.wait_for_selector(f"{FORM}[data-saved=true]", state="attached")
        fields = ContentBlock.objects.get(usage_key=UsageKey.from_string(LESSON1)).fields
        first = fields["checkpoints"][0]
        assert abs(first["at"] - at) < 0.2 and first["question"]["answer"] == ["A"]
        assert first["version_id"] and fields["random_checkpoints"]["count"] == 0
        assert [c["id"] for c in fields["checkpoints"][1:]] == ["cp-l1-duty", "cp-l1-card"]
    finally:
        context.close()
