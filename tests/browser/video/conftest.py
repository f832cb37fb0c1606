"""Browser fixtures for the guarded video: a live seeded sandbox with short heartbeats, signed-in pages.

Heartbeats every 2 s (``XBLOCK_SETTINGS``) keep the suite to minutes. Generic fixtures (the
Chromium launch, ``seeded_live_server``, ``sign_in``) live in ``tests/browser/conftest.py``.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from opaque_keys.edx.keys import UsageKey

from sandbox.lms.models import ContentBlock
from tests.browser.conftest import sign_in
from tests.component.conftest import clean_redis  # noqa: F401  (autouse: each test starts with no hot state)
from xueshi_studytime import api as ledger

LESSON1 = "block-v1:XueshiDemo+AQ101+2026+type@xueshi_video+block@video_lesson1"
LESSON2 = "block-v1:XueshiDemo+AQ101+2026+type@xueshi_video+block@video_lesson2"
HEARTBEAT_SECONDS = 2
PLAYER = ".xueshi-video"


FRONTEND = Path(__file__).resolve().parents[3] / "xblocks" / "xueshi_video" / "frontend"


@pytest.fixture(scope="session", autouse=True)
def player_assets() -> None:
    """Build the player bundle when it is missing (``make assets`` normally has done it)."""
    if (FRONTEND.parent / "public" / "js" / "dist" / "player.js").exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("public/js/dist/player.js is missing and npm is not installed: run `make assets`")
    if not (FRONTEND / "node_modules").exists():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=FRONTEND, check=True)
    subprocess.run([npm, "run", "build"], cwd=FRONTEND, check=True)


@pytest.fixture
def video_site(seeded_live_server: Any, settings: Any, monkeypatch: Any) -> Any:
    """The live sandbox with 2-second heartbeats and delivery proof on, as the sandbox runs.

    Django's live server answers ``/media/`` itself (whole files, no log) before any URL pattern;
    here it leaves them to the sandbox's media view, which serves ranges and records what it sent
    to each session, so every honest playback below also proves a real browser is never refused
    for media it did not fetch (ADR 0053).
    """
    from django.test import testcases

    monkeypatch.setattr(testcases._MediaFilesHandler, "_should_handle", lambda self, path: False)
    settings.XBLOCK_SETTINGS = {"xueshi_video": {"heartbeat_seconds": HEARTBEAT_SECONDS}}
    settings.XUESHI_STUDYTIME_MEDIA_SIGNED_PREFIXES = [settings.MEDIA_URL]
    settings.XUESHI_STUDYTIME_MEDIA_PROOF = True
    return seeded_live_server


@pytest.fixture
def open_player(browser: Any, video_site: Any) -> Iterator[Callable[..., Any]]:
    """Open a block's learner view for a user in a fresh browser context; returns the page."""
    contexts: list[Any] = []

    def _open(user: str = "zhangsan", usage: str = LESSON1, width: int = 1280, context: Any = None) -> Any:
        if context is None:
            context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
            contexts.append(context)
        page = sign_in(context, video_site.url, user)
        page.console_lines = []
        page.on("console", lambda message: page.console_lines.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: page.console_lines.append(f"pageerror: {error}"))
        page.goto(f"{video_site.url}/xblock/{usage}")
        try:
            page.wait_for_selector(f"{PLAYER}[data-state=ready]", state="attached", timeout=15000)
        except Exception:
            print("\n".join(page.console_lines))  # shown by pytest on failure
            raise
        return page

    yield _open
    for context in contexts:
        context.close()


def set_fields(usage: str, **fields: Any) -> None:
    """Change a block's stored settings (what Studio would save)."""
    row = ContentBlock.objects.get(usage_key=UsageKey.from_string(usage))
    row.fields.update(fields)
    row.save(update_fields=["fields"])


def watched(username: str, usage: str = LESSON1) -> float:
    """Seconds of the video the server has credited as watched by ``username``."""
    user = get_user_model().objects.get(username=username)
    return float(ledger.get_progress(user.id, UsageKey.from_string(usage)).watched_seconds)


def credited_today(username: str, usage: str = LESSON1) -> int:
    """Seconds credited today in the block's course (the daily total certificates read)."""
    user = get_user_model().objects.get(username=username)
    return ledger.credited_seconds_on(user.id, UsageKey.from_string(usage).course_key)


def delivery_refusals(username: str) -> dict[str, Any]:
    """What the media server sent the user's sessions, and every beat refused for media (ADR 0053)."""
    from xueshi_studytime import delivery
    from xueshi_studytime.flusher import flush
    from xueshi_studytime.models import PlaybackSession, RefusedHeartbeat

    flush(claim_idle_ms=0)
    user = get_user_model().objects.get(username=username)
    sent = [
        delivery.parse(ledger_redis().hgetall(delivery.key(user.id, str(s.pk)))).sent
        for s in PlaybackSession.objects.filter(user=user)
    ]
    refused = RefusedHeartbeat.objects.filter(user=user, reason__in=["no_media", "not_delivered"])
    return {"sent": sent, "refused": list(refused.values_list("reason", "reported_position"))}


def ledger_redis() -> Any:
    """The ledger's Redis client."""
    from xueshi_studytime import hotstate

    return hotstate.client()


def play(page: Any) -> None:
    """Press our play button and wait until the video really plays."""
    page.click(f"{PLAYER} .xv-play")
    page.wait_for_function("() => { const v = document.querySelector('.xv-video'); return v && !v.paused; }")


def position(page: Any) -> float:
    """The <video>'s current time."""
    return float(page.evaluate("() => document.querySelector('.xv-video').currentTime"))


def wait_until(predicate: Callable[[], bool], timeout: float = 15.0, step: float = 0.25) -> bool:
    """Poll ``predicate`` (server-side state) until true or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


#: Emulated page visibility. Headless Chromium keeps ``document.hidden`` false whatever we do
#: (verified on Chromium 156: a second tab brought to front, a minimised window via
#: ``Browser.setWindowBounds`` and ``Page.setWebLifecycleState`` all leave it "visible"), so the
#: tests override the two properties and dispatch ``visibilitychange`` as a real tab switch would.
SET_VISIBILITY = """(state) => {
  Object.defineProperty(document, "visibilityState", {configurable: true, get: () => state});
  Object.defineProperty(document, "hidden", {configurable: true, get: () => state === "hidden"});
  document.dispatchEvent(new Event("visibilitychange"));
}"""


def set_visibility(page: Any, state: str) -> None:
    """Make the page hidden or visible as far as its scripts can tell."""
    page.evaluate(SET_VISIBILITY, state)
