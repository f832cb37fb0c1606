"""In Chromium: an unenrolled visitor opens a 试听 unit whose only video is an uploaded HLS ladder,
and it plays through the preview token with the preview page's hls.js (ADR 0325), with its poster
and a captions track served through the same token (ADR 0329), no playback session opened and every
fetch under ``/xueshi/media/preview/``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.test import Client

from sandbox.lms.models import CourseRun
from tests.browser.conftest import sign_in
from tests.component.media.conftest import COURSE, make_video, upload
from tests.component.video.conftest import post_json
from xueshi_media import transcode
from xueshi_media.models import Asset
from xueshi_studytime.models import PlaybackSession

from .conftest import LESSON1

FETCH = re.compile(r"/xueshi/media/(preview|hls)/[0-9a-f]{32}/")
LOADED = "() => document.querySelector('.xueshi-video-public track')?.readyState === 2"
CUES = "(v) => [...v.textTracks].map((t) => [t.mode, t.cues.length])"
PLAY = "() => { const v = document.querySelector('.xueshi-video-public video'); v.muted = true; v.play(); }"


def test_an_hls_only_preview_plays_for_an_unenrolled_visitor(
    browser: Any, demo_live_server: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.XUESHI_MEDIA_WORK_DIR = str(tmp_path / "work")
    settings.XUESHI_MEDIA_SEGMENT_SECONDS = 2
    settings.XUESHI_MEDIA_X264_PRESET = "ultrafast"
    settings.XUESHI_MEDIA_LADDER = (("360p", 360, 500, 64),)
    operator = Client()
    assert operator.login(username="operator", password="xueshi-demo-2026")
    asset = Asset.objects.get(pk=upload(operator, make_video(tmp_path / "试听.mp4", seconds=8)).json()["id"])
    assert transcode.run(asset.pk) == Asset.READY
    values = {"media_asset": asset.pk.hex, "sources": [], "captions": [], "preview": True}
    assert post_json(operator, LESSON1, "submit_studio_edits", {"values": values}).status_code == 200
    CourseRun.objects.filter(course_key=COURSE).update(course_visibility="public")

    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="zh-CN")
    try:
        page = sign_in(context, demo_live_server.url, "wangwu")  # the demo's unenrolled learner
        fetched: list[str] = []
        page.on("request", lambda request: fetched.extend(FETCH.findall(request.url)))
        with page.expect_response(lambda answer: "/poster.jpg?xpv=" in answer.url) as poster:
            page.goto(f"{demo_live_server.url}/xblock/{LESSON1}")
        assert poster.value.status == 200 and poster.value.headers["content-type"] == "image/jpeg"
        page.wait_for_selector(".xueshi-video-public video[data-player='hls.js']", state="attached")
        page.wait_for_function(LOADED, timeout=10000)  # the captions track LOADED
        assert page.eval_on_selector(".xueshi-video-public video", CUES) == [["showing", 1]]
        page.evaluate(PLAY)
        page.wait_for_function(
            "() => document.querySelector('.xueshi-video-public video').currentTime > 3", timeout=20000
        )
        assert page.get_attribute(".xueshi-video-public video", "data-preview-error") is None
        assert fetched and set(fetched) == {"preview"}  # playlists, key, segments, poster, captions
        assert not PlaybackSession.objects.exists()
    finally:
        context.close()
