"""Exam rounds from the question bank's answers: a passed exam completes a course and a 工勤 round."""

from __future__ import annotations

from decimal import Decimal

import pytest
from xueshi_questionbank import api as bank

from xueshi_hours import accounts, api, rulestore
from xueshi_hours.models import CourseHoursSetting
from xueshi_hours.rules import parse_rule

from .hourkit import COURSE, credit, learner, usage, watched

pytestmark = pytest.mark.django_db
FUJIAN = ("350000", "350100", "350102")


def _exam_round(user_id: int, round_id: str, right: int, total: int) -> None:
    exam = usage(block="exam1")
    version = bank.upsert_block_question(
        COURSE, exam, "q1", {"type": "truefalse", "stem": "题干", "answer": True}
    )
    for n in range(total):
        bank.record_attempt(
            user_id,
            COURSE,
            exam,
            "exam",
            round_id,
            version,
            "true",
            n < right,
            f"exam:{user_id}:{round_id}:{n}",
        )


def test_a_passed_exam_completes_the_course_and_the_round() -> None:
    me = learner("gq2", FUJIAN, "worker_skill")
    CourseHoursSetting.objects.create(
        course_key=COURSE,
        title="岗位继续教育",
        declared_hours=Decimal(12),
        video_minutes=10,
        exam_required=True,
    )
    body = rulestore.rule_version("fj-gq", 1).to_json()
    body["required_rounds"] = [{"key": "r-test", "title": "测试轮次", "courses": [COURSE], "min_score": 60}]
    rulestore.add_version(parse_rule(body))
    today = accounts.today()
    credit(me, today, 600)
    watched(me, 600, 600)

    _exam_round(me.pk, "round-1", right=2, total=5)  # 40 %
    assert api.course_completed(me.pk, COURSE) is None
    account = api.hour_account(me.pk)
    exams = [x for x in account.lines if x.source == "exam"]
    assert [(x.raw, x.reason) for x in exams] == [(Decimal(40), "not_passed")]
    assert account.missing == ("round:r-test",) and not account.met

    _exam_round(me.pk, "round-2", right=4, total=5)  # 80 %
    assert api.course_completed(me.pk, COURSE) == today
    account = api.hour_account(me.pk)
    assert account.met and account.earned_total == Decimal(12)
    completion = next(x for x in account.lines if x.source == "course_completion")
    assert (completion.hours, completion.reason) == (Decimal(12), "counted")
    assert sorted(x.raw for x in account.lines if x.source == "exam") == [Decimal(40), Decimal(80)]
