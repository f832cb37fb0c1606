"""A learner studies a course only when enrolled (ADR 0094), as in the LMS.

The sandbox's stand-in for the LMS refuses units and handlers to learners who are not enrolled;
the video block itself asks ``may_study`` (through ``compat``) before the ledger opens a session,
so a direct handler call credits nothing either. Enrolling goes through ``/change_enrollment``,
which runs the ``CourseEnrollmentStarted`` filter and sends ``COURSE_ENROLLMENT_CREATED``.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from opaque_keys.edx.keys import UsageKey
from openedx_events.learning.signals import COURSE_ENROLLMENT_CREATED, COURSE_UNENROLLMENT_COMPLETED
from openedx_filters import PipelineStep
from openedx_filters.learning.filters import CourseEnrollmentStarted
from webob import Request

from sandbox.lms.runtime import load_block
from xueshi_core import compat
from xueshi_studytime.models import LedgerEntry, PlaybackSession

from .conftest import LESSON1, post_json, set_fields
from .quizkit import Study

COURSE = "course-v1:XueshiDemo+AQ101+2026"
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-cn"}


class RefuseUnpaid(PipelineStep):
    """A payment plugin's step as it would refuse in the LMS (issue: payments)."""

    def run_filter(self, user: Any, course_key: Any, mode: Any) -> Any:
        raise CourseEnrollmentStarted.PreventEnrollment("请先缴费后再选修。")


def user(name: str) -> Any:
    return get_user_model().objects.get(username=name)


def enrol_form(client: Client, action: str = "enroll", course: str = COURSE, **extra: Any) -> Any:
    return client.post("/change_enrollment", {"course_id": course, "enrollment_action": action}, **extra)


@pytest.fixture
def wangwu(seeded_demo: dict[str, Any], clock: Any) -> Client:
    """王五, whom the demo leaves un-enrolled, signed in."""
    client = Client()
    assert client.login(username="wangwu", password=seeded_demo["password"])
    return client


def test_the_demo_enrols_its_learners_but_wangwu_and_a_second_run_announces_nothing(seeded_demo):
    enrolled = [compat.is_enrolled(user(n), COURSE) for n in ("zhangsan", "lisi", "wangwu")]
    assert enrolled == [True, True, False]
    assert not compat.is_enrolled(user("operator"), COURSE)  # staff preview without enrolling
    announced: list[Any] = []

    def receiver(**kwargs: Any) -> None:
        announced.append(kwargs)

    COURSE_ENROLLMENT_CREATED.connect(receiver)
    try:
        call_command("xueshi_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    finally:
        COURSE_ENROLLMENT_CREATED.disconnect(receiver)
    assert announced == []


def test_a_learner_who_is_not_enrolled_gets_403_no_session_and_no_credit(wangwu):
    page = wangwu.get(f"/xblock/{LESSON1}", **ZH)
    assert page.status_code == 403
    html = page.content.decode()
    assert "您尚未选修此课程" in html and 'id="enrol-button"' in html
    refused = post_json(wangwu, LESSON1, "open_session", {"client": "web"}, **ZH)
    assert refused.status_code == 403
    assert refused.json()["error"] == "not_enrolled" and "您尚未选修此课程" in refused.json()["message"]
    assert post_json(wangwu, LESSON1, "sync_progress", {}).status_code == 403
    assert not PlaybackSession.objects.filter(user=user("wangwu")).exists()
    assert not LedgerEntry.objects.filter(user=user("wangwu")).exists()
    outline = wangwu.get(f"/courses/{COURSE}/", **ZH).content.decode()
    assert 'id="enrol-button"' in outline and f'href="/xblock/{LESSON1}"' not in outline


def test_the_block_itself_refuses_an_unenrolled_learner_when_the_handler_is_called_directly(wangwu):
    """In the LMS the handler URL can be called without the courseware page: the block asks too."""
    block = load_block(user("wangwu"), UsageKey.from_string(LESSON1))
    request = Request.blank("/", method="POST", body=json.dumps({"client": "web"}).encode())
    request.content_type = "application/json"
    response = block.runtime.handle(block, "open_session", request)
    assert response.status_code == 403 and json.loads(response.body)["error"] == "not_enrolled"
    assert not PlaybackSession.objects.filter(user=user("wangwu")).exists()


def test_enrolling_opens_the_unit_and_announces_it_once(wangwu):
    announced: list[Any] = []

    def receiver(signal: Any, sender: Any, enrollment: Any, metadata: Any, **kwargs: Any) -> None:
        announced.append(enrollment)

    COURSE_ENROLLMENT_CREATED.connect(receiver)
    try:
        assert enrol_form(wangwu).status_code == 302
        assert enrol_form(wangwu).status_code == 302  # enrolled already: nothing happens
    finally:
        COURSE_ENROLLMENT_CREATED.disconnect(receiver)
    assert len(announced) == 1
    assert (announced[0].user.pii.username, str(announced[0].course.course_key)) == ("wangwu", COURSE)
    assert announced[0].is_active
    assert wangwu.get(f"/xblock/{LESSON1}").status_code == 200
    assert post_json(wangwu, LESSON1, "open_session", {"client": "web"}).status_code == 200


def test_unenrolling_ends_the_live_session_refuses_again_and_is_announced(demo_site, clock):
    client = Client()
    assert client.login(username="zhangsan", password=demo_site["password"])
    study = Study(client, LESSON1, clock)
    study.open()
    study.play(0.0, 10.0)
    left: list[Any] = []

    def receiver(enrollment: Any, **kwargs: Any) -> None:
        left.append(enrollment)

    COURSE_UNENROLLMENT_COMPLETED.connect(receiver)
    try:
        assert enrol_form(client, "unenroll").status_code == 302
    finally:
        COURSE_UNENROLLMENT_COMPLETED.disconnect(receiver)
    assert [e.is_active for e in left] == [False]
    clock.advance(10)
    assert study.beat(20.0)["lease"] == "lost"  # the player already open stops, earning nothing more
    session = PlaybackSession.objects.get(user=user("zhangsan"))
    assert session.end_reason == "unenrolled"
    assert post_json(client, LESSON1, "open_session", {"client": "web"}).status_code == 403
    assert client.get(f"/xblock/{LESSON1}").status_code == 403
    assert enrol_form(client, "unenroll").status_code == 400  # not enrolled any more


def test_a_filter_step_can_refuse_enrolment_with_its_reason(wangwu, settings):
    settings.OPEN_EDX_FILTERS_CONFIG = {
        "org.openedx.learning.course.enrollment.started.v1": {
            "fail_silently": False,
            "pipeline": [f"{__name__}.RefuseUnpaid"],
        }
    }
    refused = enrol_form(wangwu)
    assert refused.status_code == 400 and "请先缴费" in refused.content.decode()
    assert not compat.is_enrolled(user("wangwu"), COURSE)


def test_staff_may_open_units_without_enrolling(seeded_demo, clock):
    client = Client()
    assert client.login(username="operator", password=seeded_demo["password"])
    assert client.get(f"/xblock/{LESSON1}").status_code == 200
    assert post_json(client, LESSON1, "open_session", {"client": "web"}).status_code == 200


BAD_FORMS = (
    {"course_id": COURSE, "enrollment_action": "join"},
    {"course_id": "course-v1:Nobody+None+1", "enrollment_action": "enroll"},
    {"course_id": "not a key", "enrollment_action": "enroll"},
    {},
)


def test_bad_anonymous_or_forged_enrolment_requests_get_4xx_and_enrol_nobody(wangwu):
    assert [wangwu.post("/change_enrollment", data).status_code for data in BAD_FORMS] == [400] * 4
    assert wangwu.get("/change_enrollment").status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user("wangwu"))
    assert enrol_form(strict).status_code == 403  # no CSRF token
    anonymous = Client()
    assert enrol_form(anonymous).status_code == 403
    assert anonymous.get(f"/xblock/{LESSON1}").status_code == 302
    assert post_json(anonymous, LESSON1, "open_session", {"client": "web"}).status_code == 403
    assert not compat.is_enrolled(user("wangwu"), COURSE)


def test_the_course_page_shows_ticks_and_the_ledgers_minutes(demo_site, clock):
    """Completion as the completion service reports it; minutes from the ledger's records."""
    set_fields(LESSON1, checkpoints=[], completion_coverage=0.5)
    client = Client()
    assert client.login(username="zhangsan", password=demo_site["password"])
    study = Study(client, LESSON1, clock)
    study.open()
    study.play(0.0, 70.0)
    assert post_json(client, LESSON1, "sync_progress", {}).json()["completed"] is True
    html = client.get(f"/courses/{COURSE}/", **ZH).content.decode()
    unit = html.split(f'data-usage-key="{LESSON1}"')[1].split("</li>")[0]
    assert 'data-complete="true"' in html.split(f'data-usage-key="{LESSON1}"')[1][:40]
    assert "✔" in unit and "已完成 100%" in unit and "已计入学习时长 1 分钟" in unit
    assert "已完成 1 / " in html  # units completed, of all units
    others = html.split('data-complete="false"')
    assert len(others) > 1 and "已计入学习时长 0 分钟" in others[1].split("</li>")[0]
