"""The practice block's learner view and Studio editor through the sandbox's pages and handlers."""

import pytest
from django.test import Client
from xueshi_questionbank.models import QuestionVersion

from sandbox.lms.models import ContentBlock

from .conftest import EXAM, PRACTICE, post

pytestmark = pytest.mark.django_db


def test_learner_view_renders_without_questions(learner):
    response = learner.get(f"/xblock/{PRACTICE}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "xueshi-practice" in html and "开始练习" in html
    assert "data-version" not in html
    stems = QuestionVersion.objects.filter(trade="电工").values_list("stem", flat=True)
    assert stems and not any(stem in html for stem in stems)


def test_studio_edits_are_validated_and_saved(demo_site):
    staff = Client()
    assert staff.login(username="operator", password=demo_site["password"])
    page = staff.get(f"/studio/xblock/{EXAM}")
    assert page.status_code == 200 and "xueshi-practice-studio" in page.content.decode()
    assert "安全生产" in page.content.decode()  # the bank's tags are offered
    values = {
        "display_name": "期末模拟考试",
        "mode": "exam",
        "trades": "电工\n焊工",
        "knowledge_points": "",
        "difficulties": [2],
        "question_count": 15,
        "time_limit_minutes": 45,
        "pass_percent": 80,
        "max_attempts": 2,
        "weight": 3,
        "show_explanations": False,
    }
    saved = post(staff, EXAM, "submit_studio_edits", {"values": values})
    assert saved.status_code == 200, saved.content
    fields = ContentBlock.objects.get(usage_key=EXAM).fields
    assert fields["trades"] == ["电工", "焊工"] and fields["time_limit_minutes"] == 45
    bad = post(staff, EXAM, "submit_studio_edits", {"values": {**values, "question_count": 500, "mode": "x"}})
    assert bad.status_code == 400 and set(bad.json()["field_errors"]) == {"question_count", "mode"}


def test_learners_cannot_edit(learner):
    response = post(learner, PRACTICE, "submit_studio_edits", {"values": {"display_name": "x"}})
    assert response.status_code == 403
