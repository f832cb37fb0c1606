"""The face check page in Chromium with a fake camera: enrol through the page (pending until a reviewer
approves), pass as the enrolled learner following the server's random poses, fail as someone else
or as a looping recording (the hold stays and the real player earns no credit), and tell the
player's overlay through postMessage when it runs inside an iframe."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from tests.browser.conftest import sign_in
from tests.browser.video.conftest import LESSON1, PLAYER, credited_today, play, wait_until
from tests.component.face.conftest import enrol_approved, reviewer_user
from tests.unit.face.faces import FACES
from xueshi_face import approval, enrolment, tokens
from xueshi_face.data import CheckContext
from xueshi_face.models import FaceCheck
from xueshi_studytime import api as ledger

from .camera import posing_camera_script

COURSE = "course-v1:XueshiDemo+AQ101+2026"
LEARNER = "zhangsan"


@pytest.fixture
def site(seeded_live_server: Any, settings: Any) -> Any:
    settings.XBLOCK_SETTINGS = {"xueshi_video": {"heartbeat_seconds": 2}}
    settings.XUESHI_FACE_ENGINE = "local"
    settings.XUESHI_FACE_LIVENESS = "head_turn"
    settings.LANGUAGE_CODE = "zh-cn"
    return seeded_live_server


def learner() -> Any:
    return get_user_model().objects.get(username=LEARNER)


def hold_for_study(user: Any) -> str:
    """A study check due now, as the scheduler places it; returns its URL."""
    url = tokens.check_url(user.id, CheckContext("study", COURSE, LESSON1))
    ledger.place_hold(user.id, "face_check", url=url, reason="random face check")
    return url


def run_check(page: Any, url: str) -> str:
    page.goto(url)
    page.wait_for_selector("body[data-xf-camera=ready]", timeout=15000)
    page.click("#xf-start")
    page.wait_for_selector("body[data-xf-result]", timeout=30000)
    return str(page.get_attribute("body", "data-xf-result"))


def posing(camera_browser: Any) -> Any:
    """A browser context whose camera shows person A taking the poses the page asks for."""
    context = camera_browser("learner").new_context(locale="zh-CN")
    context.add_init_script(posing_camera_script())
    return context


def test_enrol_on_the_page_then_the_enrolled_face_passes(camera_browser, site):
    context = posing(camera_browser)
    page = sign_in(context, site.url, LEARNER)
    page.goto(f"{site.url}/xueshi/face/enrol/")
    assert page.is_disabled("#xf-photo")  # no photo before the separate consent
    page.check("#xf-consent")
    page.set_input_files("#xf-photo", str(FACES / "person_a_enrol.jpg"))
    page.click("#xf-enrol-submit")
    page.wait_for_selector("#xf-enrolled", timeout=15000)
    assert enrolment.enrolled(learner().id).status == "pending"
    url = hold_for_study(learner())
    page.goto(f"{site.url}{url}")
    assert page.is_visible("#xf-waiting") and not page.is_visible("#xf-start")  # not approved yet
    approval.approve(learner().id, actor=reviewer_user(), reason="核对身份证照片")
    assert run_check(page, f"{site.url}{url}") == "passed"
    assert "人脸核验通过" in page.inner_text("#xf-status")
    assert ledger.active_holds(learner().id) == []
    record = FaceCheck.objects.get()
    assert (record.decision, record.liveness, record.context, record.frames) == (
        "passed",
        "passed",
        "study",
        3,
    )
    context.close()


def test_a_looping_recording_of_the_learner_fails(camera_browser, site):
    enrol_approved(learner())
    url = hold_for_study(learner())
    recording = camera_browser("learner").new_context(locale="zh-CN")  # the Y4M loop, no posing
    assert run_check(sign_in(recording, site.url, LEARNER), f"{site.url}{url}") == "failed"
    assert FaceCheck.objects.get().reason == "liveness"
    assert [h.kind for h in ledger.active_holds(learner().id)] == ["face_check"]
    recording.close()


def test_another_face_fails_and_the_player_earns_nothing(camera_browser, site):
    enrol_approved(learner())
    url = hold_for_study(learner())
    stranger = camera_browser("stranger").new_context(locale="zh-CN")
    check = sign_in(stranger, site.url, LEARNER)
    assert run_check(check, f"{site.url}{url}") == "failed"
    assert "不一致" in check.inner_text("#xf-status")
    assert [h.kind for h in ledger.active_holds(learner().id)] == ["face_check"]
    assert FaceCheck.objects.get().decision == "failed"
    player = check.context.new_page()
    player.goto(f"{site.url}/xblock/{LESSON1}")
    player.wait_for_selector(f"{PLAYER}[data-state=ready]", state="attached", timeout=15000)
    play(player)
    time.sleep(7)  # three heartbeats of real playback
    assert credited_today(LEARNER) == 0  # the failed check keeps the hold: nothing is credited
    stranger.close()
    own = posing(camera_browser)
    assert run_check(sign_in(own, site.url, LEARNER), f"{site.url}{url}") == "passed"
    assert ledger.active_holds(learner().id) == []
    own.close()


def test_inside_the_players_overlay_a_pass_tells_the_parent(camera_browser, site):
    enrol_approved(learner())
    url = hold_for_study(learner())
    context = posing(camera_browser)
    page = sign_in(context, site.url, LEARNER)
    page.evaluate(
        """(url) => {
            window.received = [];
            window.addEventListener("message", (e) => window.received.push({origin: e.origin, data: e.data}));
            const frame = document.createElement("iframe");
            frame.src = url; frame.allow = "camera"; frame.id = "overlay";
            document.body.appendChild(frame);
        }""",
        url,
    )
    frame = page.frame_locator("#overlay")
    frame.locator("body[data-xf-camera=ready]").wait_for(timeout=15000)
    frame.locator("#xf-start").click()
    page.wait_for_function("() => window.received.length > 0", timeout=30000)
    (message,) = page.evaluate("() => window.received")
    assert message == {"origin": site.url, "data": {"type": "xueshi:hold-cleared", "kind": "face_check"}}
    assert wait_until(lambda: ledger.active_holds(learner().id) == [])
    context.close()
