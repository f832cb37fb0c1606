"""In Chromium: a learner plays a transcoded library ladder, the bandwidth drops (Chromium's network
emulation through CDP), and hls.js moves to the lower rendition while the video keeps playing.

Issue 24 asks for streaming without stalls at any bandwidth: the ladder's renditions are cut at
the same instants (ADR 0261), so hls.js may switch at any segment boundary, and every segment it
fetches after the switch is still signed for the learner's session (ADR 0262).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.test import Client

from tests.component.media.conftest import make_video, upload
from tests.component.video.conftest import post_json
from xueshi_media import transcode
from xueshi_media.models import Asset

from .conftest import LESSON1, play, set_fields

#: 540p declares about 1.8 Mbit/s, 360p about 0.4 Mbit/s; noisy pictures fill those caps.
LADDER = (("540p", 540, 1600, 96), ("360p", 360, 300, 64))
#: Bytes per second: an office line on which 540p streams, then a weak one on which only 360p does.
FAST, SLOW = 340_000, 100_000
SEGMENT = re.compile(r"/xueshi/media/hls/[0-9a-f]{32}/(\d+p)/seg_\d+\.ts\?")
#: The <video>'s time, paused flag, ready state and end of what is buffered.
STATE = """() => { const v = document.querySelector('.xv-video'); const b = v.buffered;
  return [v.currentTime, v.paused, v.readyState, b.length ? b.end(b.length - 1) : -1]; }"""
COUNT_STALLS = """() => {
  const video = document.querySelector('.xv-video');
  window.stalls = 0;
  video.addEventListener('waiting', () => { window.stalls += 1; });
}"""


def _library_lesson(settings: Any, tmp_path: Path) -> Asset:
    """LESSON1, without its quiz stops, plays a 60-second ladder of two renditions, 2-second segments."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.XUESHI_MEDIA_WORK_DIR = str(tmp_path / "work")
    settings.XUESHI_MEDIA_SEGMENT_SECONDS = 2
    settings.XUESHI_MEDIA_X264_PRESET = "ultrafast"
    settings.XUESHI_MEDIA_LADDER = LADDER
    settings.XUESHI_STUDYTIME_MEDIA_SIGNED_PREFIXES = [settings.MEDIA_URL, "/xueshi/media/hls/"]
    operator = Client()
    assert operator.login(username="operator", password="xueshi-demo-2026")
    source = make_video(tmp_path / "第三课.mp4", seconds=60, noisy=True)
    asset = Asset.objects.get(pk=upload(operator, source, chunk=4 * 1024 * 1024).json()["id"])
    assert transcode.run(asset.pk) == Asset.READY
    saved = post_json(operator, LESSON1, "submit_studio_edits", {"values": {"media_asset": asset.pk.hex}})
    assert saved.status_code == 200, saved.content
    set_fields(LESSON1, checkpoints=[], random_checkpoints={})
    return asset


def _bandwidth(cdp: Any, bytes_per_second: int) -> None:
    """Chromium's network emulation for the page (DevTools protocol), as a learner's line would be."""
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 40,
            "downloadThroughput": bytes_per_second,
            "uploadThroughput": bytes_per_second,
        },
    )


def test_throttled_bandwidth_drops_the_rendition_without_a_stall(
    open_player: Any, settings: Any, tmp_path: Path
) -> None:
    _library_lesson(settings, tmp_path)
    page = open_player("zhangsan")
    fetched: list[str] = []  # renditions of the segments requested, in order

    def seen(request: Any) -> None:
        match = SEGMENT.search(request.url)
        if match:
            fetched.append(match.group(1))

    page.on("request", seen)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    _bandwidth(cdp, FAST)
    with page.expect_request(lambda r: "/540p/seg_" in r.url, timeout=30_000):
        play(page)
    page.wait_for_timeout(8000)  # a few seconds of buffer ahead, as in any steady playback

    page.evaluate(COUNT_STALLS)
    _bandwidth(cdp, SLOW)
    before = len(fetched)
    page.wait_for_event("request", lambda r: "/360p/seg_" in r.url, timeout=45_000)
    page.wait_for_timeout(6000)  # it goes on from the lower rendition's segments

    state = page.evaluate(STATE)
    assert page.evaluate("window.stalls") == 0, (state, fetched[before:], page.console_lines[-5:])
    assert state[1] is False, state  # still playing
    assert fetched[before:][-1] == "360p", fetched[before:]
    assert "540p" in fetched[:before], fetched
