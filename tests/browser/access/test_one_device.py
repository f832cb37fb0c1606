"""One device at a time in Chromium: two browser contexts and a token client for one account.

The newest sign-in wins; the ended browser is told on its next request (a playing video stops
with the message, a page load lands on the notice), the ended app gets ``401 session_replaced``.
Under ``refuse`` the newcomer is turned away instead.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pytest

from tests.browser.conftest import sign_in
from tests.browser.video.conftest import HEARTBEAT_SECONDS, LESSON1, PLAYER, play, player_assets  # noqa: F401
from tests.component.conftest import clean_redis  # noqa: F401  (autouse: no hot state between tests)

PASSWORD = "xueshi-demo-2026"
COURSE_PAGE = "/courses/course-v1:XueshiDemo+AQ101+2026/"
DEVICE_API = "/xueshi/access/api/v1/device"


class TokenClient:
    """The mobile app: password grant at /oauth2/access_token, then JWT calls."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.token = ""

    def sign_in(self, username: str = "zhangsan") -> tuple[int, dict[str, Any]]:
        form = {"grant_type": "password", "client_id": "xueshi-sandbox-mobile", "username": username,
                "password": PASSWORD, "token_type": "jwt"}  # fmt: skip
        status, body = self._call("/oauth2/access_token", urllib.parse.urlencode(form).encode())
        self.token = body.get("access_token", "")
        return status, body

    def device(self) -> tuple[int, dict[str, Any]]:
        return self._call(DEVICE_API, None, {"Authorization": f"JWT {self.token}"})

    def _call(
        self, path: str, data: bytes | None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, Any]]:
        request = urllib.request.Request(self.base_url + path, data=data, headers=headers or {})
        request.add_header("User-Agent", "edX/org.edx.mobile/5.2.0 (iPhone; iOS 17.4)")
        try:
            with urllib.request.urlopen(request, timeout=20) as reply:
                return reply.status, json.loads(reply.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")


@pytest.fixture
def site(seeded_live_server: Any, settings: Any) -> Any:
    settings.XBLOCK_SETTINGS = {"xueshi_video": {"heartbeat_seconds": HEARTBEAT_SECONDS}}
    return seeded_live_server


def new_context(browser: Any) -> Any:
    return browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")


def test_newest_sign_in_wins_across_browsers_and_the_app(browser: Any, site: Any) -> None:
    pc, laptop = new_context(browser), new_context(browser)
    app = TokenClient(site.url)
    try:
        first = sign_in(pc, site.url, "zhangsan")
        first.goto(f"{site.url}/xblock/{LESSON1}")
        first.wait_for_selector(f"{PLAYER}[data-state=ready]", state="attached", timeout=15000)
        play(first)

        status, grant = app.sign_in()
        assert status == 200 and grant["token_type"] == "JWT"
        # The playing video in the old browser stops at its next heartbeat, saying why.
        first.wait_for_selector(
            f"{PLAYER}[data-state=stopped]", state="attached", timeout=HEARTBEAT_SECONDS * 4000
        )
        assert first.evaluate("() => document.querySelector('.xv-video').paused")
        assert "其他设备" in first.inner_text(f"{PLAYER} .xv-overlay-text")
        # Its next page load lands on the notice, in Chinese, with a way back in.
        first.goto(f"{site.url}{COURSE_PAGE}")
        assert "/xueshi/access/ended/" in first.url
        assert "其他设备" in first.inner_text("#xueshi-access-message")
        assert first.get_attribute("#xueshi-access-signin", "href").startswith("/login/")
        assert app.device() == (200, app.device()[1]) and app.device()[1]["kind"] == "app"

        second = sign_in(laptop, site.url, "zhangsan")
        status, body = app.device()
        assert status == 401 and body["error_code"] == "session_replaced" and "其他设备" in body["message"]
        second.goto(f"{site.url}{COURSE_PAGE}")
        assert COURSE_PAGE in second.url  # the newest device studies on
    finally:
        pc.close()
        laptop.close()


def test_refuse_setting_turns_the_newcomers_away(browser: Any, site: Any, settings: Any) -> None:
    settings.XUESHI_ACCESS_CONCURRENT_LOGIN = "refuse"
    pc, laptop = new_context(browser), new_context(browser)
    try:
        first = sign_in(pc, site.url, "zhangsan")
        first.goto(f"{site.url}{COURSE_PAGE}")

        page = laptop.new_page()
        page.goto(f"{site.url}/login/")
        page.fill("input[name=username]", "zhangsan")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        assert "另一台设备" in page.inner_text("body")
        assert "/login/" in page.url

        status, body = TokenClient(site.url).sign_in()
        assert status == 403 and body["error_code"] == "signed_in_elsewhere"

        first.goto(f"{site.url}{COURSE_PAGE}")
        assert COURSE_PAGE in first.url  # the active device is untouched
    finally:
        pc.close()
        laptop.close()
