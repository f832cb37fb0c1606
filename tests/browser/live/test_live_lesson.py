"""In Chromium: a live lesson plays while ffmpeg pushes to the sandbox provider, attendance is credited
by the ledger only while on air, and after the push stops the recording appears as a guarded video.

The sandbox live server (``sandbox/live``) checks push and play signatures as Tencent Cloud Live
does and sends its signed callbacks to the site; nothing on the site's side is faked.
"""

from __future__ import annotations

import shutil
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from opaque_keys.edx.keys import CourseKey

from sandbox.live.server import LiveSandbox
from sandbox.lms.models import ContentBlock, CourseRun
from tests.component.conftest import clean_redis  # noqa: F401  (autouse: no hot state from other tests)
from xueshi_live.schedule import china_text
from xueshi_livestream import api as live
from xueshi_livestream.models import LiveStream
from xueshi_media.models import Asset
from xueshi_studytime import api as ledger

from ..conftest import sign_in
from ..video.conftest import wait_until

pytestmark = [pytest.mark.browser]
COURSE = CourseKey.from_string("course-v1:XueshiDemo+AQ101+2026")
USAGE = COURSE.make_usage_key("xueshi_live", "live_lesson1")
STREAM = "aq101_live_1"
KEY = "browser-test-live-key"
LIVE = ".xueshi-live"
LIVE_JS = (
    Path(__file__).resolve().parents[3] / "xblocks" / "xueshi_live" / "public" / "js" / "dist" / "live.js"
)


@pytest.fixture
def live_site(seeded_live_server: Any, settings: Any) -> Any:
    """The seeded site, the sandbox provider calling it back, and a live block scheduled now."""
    sandbox = LiveSandbox("tencent", KEY, f"{seeded_live_server.url}/xueshi/live/callback/").start()
    settings.XUESHI_LIVE_PROVIDER = "tencent"
    settings.XUESHI_LIVE_AUTH_KEY = KEY
    settings.XUESHI_LIVE_PUSH_DOMAIN = sandbox.push_domain
    settings.XUESHI_LIVE_PLAY_DOMAIN = sandbox.endpoint
    settings.XUESHI_LIVE_PLAY_SCHEME = "http"
    settings.XUESHI_LIVE_RECORDING_HOSTS = [sandbox.endpoint]
    settings.XBLOCK_SETTINGS = {"xueshi_video": {"heartbeat_seconds": 2}}
    now = time.time()
    fields = {
        "display_name": "直播：安全生产月专题讲座",
        "stream_name": STREAM,
        "starts_at": china_text(now - 60),
        "ends_at": china_text(now + 3600),
        "anti_idle_minutes": 0,
    }
    course = CourseRun.objects.get(course_key=COURSE)
    ContentBlock.objects.create(usage_key=USAGE, course=course, block_type="xueshi_live", fields=fields)
    yield seeded_live_server, sandbox
    sandbox.close()
    shutil.rmtree(sandbox.root, ignore_errors=True)
    for asset in Asset.objects.all():
        shutil.rmtree(Path(settings.MEDIA_ROOT) / asset.folder, ignore_errors=True)


def post(url: str) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=b"", method="POST"), timeout=30) as r:
            return int(r.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return int(r.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def attended(username: str = "zhangsan") -> float:
    user = get_user_model().objects.get(username=username)
    return float(ledger.get_progress(user.id, USAGE).watched_seconds)


def test_a_live_lesson_plays_credits_attendance_and_its_recording_appears(browser, live_site):
    site, sandbox = live_site
    assert LIVE_JS.exists(), "build the players first: make assets"
    page = sign_in(browser.new_context(locale="zh-CN"), site.url, "zhangsan")
    page.goto(f"{site.url}/xblock/{USAGE}")
    page.wait_for_selector(f"{LIVE}[data-phase=paused]")  # in the slot, the teacher not on air yet
    assert page.locator(f"{LIVE} .xl-join").is_hidden()

    push = urlsplit(live.push_url(STREAM, time.time() + 3600))
    assert post(f"http://{sandbox.endpoint}/_sandbox/push{push.path}?{push.query}x") == 403  # forged
    assert post(f"http://{sandbox.endpoint}/_sandbox/push{push.path}?{push.query}") == 200
    page.wait_for_selector(f"{LIVE} .xl-join:visible", timeout=20_000)  # the start callback arrived
    page.click(f"{LIVE} .xl-join")
    page.wait_for_function("() => document.querySelector('.xl-video').currentTime > 2", timeout=30_000)
    assert wait_until(lambda: attended() >= 4, timeout=30)

    play = urlsplit(live.play_url(STREAM))
    assert get(f"http://{sandbox.endpoint}{play.path}?{play.query}") == 200
    assert get(f"http://{sandbox.endpoint}{play.path}?{play.query.replace('txSecret=', 'txSecret=0')}") == 403

    assert post(f"http://{sandbox.endpoint}/_sandbox/stop/live/{STREAM}") == 200
    row = LiveStream.objects.get(stream=STREAM)
    (interval,) = row.on_air.all()
    aired = (interval.ended_at - interval.started_at).total_seconds()
    credited = attended()
    page.wait_for_timeout(5000)  # beats after the stop earn nothing: the stream is off air
    assert attended() <= credited + 2.5 and attended() <= aired + 1
    # The recording callback brought the file into the library; once transcoded, the page replays it.
    page.wait_for_selector(".xueshi-video .xv-controls", state="attached", timeout=180_000)
    assert LiveStream.objects.get(stream=STREAM).recording_asset
    assert page.locator(LIVE).count() == 0
    assert sandbox.refused == [
        f"push {STREAM}: bad or expired signature",
        f"play {STREAM}: bad or expired signature",
    ]
    assert sandbox.callbacks[:2] == [
        f"start {STREAM} -> 200",
        f"stop {STREAM} -> 200",
    ]
