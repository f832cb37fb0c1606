"""Previews (试听): in a paid run visible to unenrolled learners, a unit its author marks ``preview``
plays for anyone through the block's ``public_view``, as Open edX renders it; other units say
"enrol", blocks without a public view refuse, no study time is credited and enrolment still needs
payment (需求 002; ADR 0168). The sandbox demo's paid course marks 第一课 as its preview."""

from __future__ import annotations

from typing import Any

from django.test import Client

from sandbox.lms.models import CourseRun
from tests.component.video.conftest import post_json
from xueshi_core import compat
from xueshi_payments.demo import PAID_DEMO_COURSE_KEY
from xueshi_studytime.models import PlaybackSession

from .conftest import make_user

RUN = PAID_DEMO_COURSE_KEY.removeprefix("course-v1:")
LESSON1 = f"block-v1:{RUN}+type@xueshi_video+block@video_lesson1"
LESSON2 = f"block-v1:{RUN}+type@xueshi_video+block@video_lesson2"
PRACTICE = f"block-v1:{RUN}+type@xueshi_practice+block@practice_electrician"
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-cn"}


def signed_in(seeded: dict[str, Any], name: str) -> Client:
    client = Client()
    assert client.login(username=name, password=seeded["password"])
    return client


def test_the_preview_plays_unpaid_the_rest_asks_to_enrol_and_nothing_is_credited(seeded_demo: Any) -> None:
    wangwu = signed_in(seeded_demo, "wangwu")
    outline = wangwu.get(f"/courses/{PAID_DEMO_COURSE_KEY}/", **ZH).content.decode()
    assert outline.count('class="xueshi-preview"') == 1 and f"/xblock/{LESSON1}" in outline
    assert "试听" in outline

    preview = wangwu.get(f"/xblock/{LESSON1}", **ZH)
    page = preview.content.decode()
    assert preview.status_code == 200 and 'data-preview="true"' in page
    assert "lesson1.mp4" in page and "<video" in page and "XueshiVideoBlock" not in page  # no study player
    assert "选课后观看才计学时" in page

    other = wangwu.get(f"/xblock/{LESSON2}", **ZH).content.decode()
    assert 'data-preview="false"' in other and "<video" not in other and "index.m3u8" not in other
    assert wangwu.get(f"/xblock/{PRACTICE}", **ZH).status_code == 403  # no public view: refused

    refused = post_json(wangwu, LESSON1, "open_session", {"client": "web"}, **ZH)
    assert refused.status_code == 403 and not PlaybackSession.objects.exists()
    wangwu.post("/change_enrollment", {"course_id": PAID_DEMO_COURSE_KEY, "enrollment_action": "enroll"})
    assert not compat.is_enrolled(make_user("wangwu"), PAID_DEMO_COURSE_KEY)  # buying is still needed


def test_a_private_run_shows_no_preview(seeded_demo: Any) -> None:
    CourseRun.objects.filter(course_key=PAID_DEMO_COURSE_KEY).update(course_visibility="private")
    wangwu = signed_in(seeded_demo, "wangwu")
    assert wangwu.get(f"/xblock/{LESSON1}", **ZH).status_code == 403
    assert 'class="xueshi-preview"' not in wangwu.get(f"/courses/{PAID_DEMO_COURSE_KEY}/").content.decode()
