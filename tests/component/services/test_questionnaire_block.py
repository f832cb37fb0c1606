"""The xueshi_questionnaire block: answered inline, 已提交 afterwards (the same one answer as the QR
link), refusals as 4xx with the reason in Chinese, and Studio picks the questionnaire by its code."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from opaque_keys.edx.keys import UsageKey

from sandbox.lms.models import ContentBlock
from xueshi_services.models import Questionnaire, Response

BLOCK = "block-v1:XueshiDemo+AQ101+2026+type@xueshi_questionnaire+block@course_survey"
pytestmark = pytest.mark.django_db


def post(client: Client, name: str, body: Any) -> Any:
    key = UsageKey.from_string(BLOCK)
    url = f"/courses/{key.course_key}/xblock/{BLOCK}/handler/{name}"
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_learner_answers_inline_then_sees_submitted(demo_site: dict[str, Any]) -> None:
    learner = Client()
    assert learner.login(username="zhangsan", password=demo_site["password"])
    html = learner.get(f"/xblock/{BLOCK}").content.decode()
    assert "课程满意度问卷" in html and "xq-form" in html and "实名问卷" in html
    questions = list(Questionnaire.objects.get(slug="demo01").questions.prefetch_related("options"))
    missing = post(learner, "submit_answers", {"answers": {}})
    assert missing.status_code == 400 and missing.json()["error"] == "missing_answer"
    assert "必答题" in missing.json()["message"]
    answers = {str(questions[0].pk): str(questions[0].options.first().pk), str(questions[2].pk): "5"}
    assert post(learner, "submit_answers", {"answers": answers}).status_code == 200
    again = post(learner, "submit_answers", {"answers": answers})
    assert again.status_code == 409 and again.json()["error"] == "already_answered"
    assert Response.objects.get().via == "course-v1:XueshiDemo+AQ101+2026"
    html = learner.get(f"/xblock/{BLOCK}").content.decode()
    assert "已提交" in html and "xq-form" not in html
    assert learner.get("/xueshi/services/q/demo01/").status_code == 409  # the QR link counts it too


def test_studio_refuses_a_code_that_names_no_questionnaire(demo_site: dict[str, Any]) -> None:
    staff = Client()
    assert staff.login(username="operator", password=demo_site["password"])
    page = staff.get(f"/studio/xblock/{BLOCK}").content.decode()
    assert "课程满意度问卷 (demo01)" in page
    bad = post(staff, "submit_studio_edits", {"values": {"questionnaire": "nosuch"}, "defaults": []})
    assert (
        bad.status_code == 400
        and ContentBlock.objects.get(usage_key=BLOCK).fields["questionnaire"] == "demo01"
    )
