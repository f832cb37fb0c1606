"""In Chromium: an author uploads a video to the course library in parts, sees the upload's progress,
then the job's, and finally the ladder listed as ready (学时 in Chinese)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage

from tests.component.media.conftest import COURSE, make_video
from xueshi_media.models import Asset

from ..conftest import sign_in

WATCH = """() => {
  window.seen = [];
  new MutationObserver(() => window.seen.push(document.getElementById('xm-status').textContent))
    .observe(document.getElementById('xm-status'), {childList: true, characterData: true, subtree: true});
}"""


def test_an_author_uploads_in_parts_and_sees_progress_until_the_ladder_is_ready(
    browser: Any, seeded_live_server: Any, tmp_path: Path, settings: Any
) -> None:
    settings.XUESHI_MEDIA_MAX_CHUNK_BYTES = 16 * 1024  # a 3-second video in about ten parts
    source = make_video(tmp_path / "第一课.mp4")
    base = seeded_live_server.url
    page = sign_in(browser.new_context(locale="zh-CN"), base, "operator")
    try:
        page.goto(f"{base}/xueshi/media/library/{COURSE}/")
        page.evaluate(WATCH)
        page.fill("#xm-title", "第一课 消防安全")
        page.set_input_files("#xm-file", str(source))
        page.click("#xm-start")
        page.wait_for_selector("#xm-rows td.xm-ready", timeout=120_000)
        seen = page.evaluate("window.seen")
        uploading = [int(s.split()[-1].rstrip("%")) for s in seen if s.startswith("正在上传")]
        assert len(set(uploading)) >= 5 and uploading == sorted(uploading), seen
        assert "上传完成，已排队转码。" in seen
        assert page.locator("#xm-progress").get_attribute("value") == "100"
        row = page.locator("#xm-rows tr").first
        assert "第一课 消防安全" in row.inner_text() and "540p · 360p" in row.inner_text()
        assert "可播放" in row.inner_text() and "3.0 s" in row.inner_text()
    finally:
        for asset in Asset.objects.all():
            shutil.rmtree(Path(settings.MEDIA_ROOT) / asset.folder, ignore_errors=True)
            default_storage.delete(asset.source_name)
