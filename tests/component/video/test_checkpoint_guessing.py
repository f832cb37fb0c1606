"""Checkpoints a script cannot guess (issue 15): few answers per question, per-learner questions, no key.

Each test drives the block over HTTP with the ledger's manual clock (``quizkit.Study``), as the
player does, and reads what the bank recorded.
"""

import json

import pytest
from django.contrib.auth import get_user_model
from opaque_keys.edx.keys import UsageKey
from xueshi_questionbank import api as bank
from xueshi_questionbank.models import Attempt, Question

from xueshi_video.attempts import attempt_key_prefix
from xueshi_video.scenarios import LESSON1_CHECKPOINTS, LESSON2_CHECKPOINTS

from .conftest import LESSON1, LESSON2, post_json, set_fields
from .quizkit import Study, add_bank_questions

pytestmark = pytest.mark.django_db
RIGHT = "按规程操作"  # the right option of every question add_bank_questions writes


def zhangsan():
    return get_user_model().objects.get(username="zhangsan")


def letter(view, text=RIGHT, right=True):
    return next(o["key"] for o in view["question"]["options"] if (o["text"] == text) == right)


def rewatch(study, clock, until):
    clock.advance(1)
    study.beat(0.0, playing=False, event="seek")
    study.play(0.0, until)


def test_retry_gives_a_few_answers_then_rewinds_and_draws_a_fresh_question(learner, clock):
    add_bank_questions(6)
    entry = {**LESSON2_CHECKPOINTS[0], "kind": "bank", "tags": {"trade": "安全生产"}, "max_attempts": 2}
    set_fields(LESSON2, checkpoints=[entry])
    study = Study(learner, LESSON2, clock)
    study.open()
    study.play(0, 40)
    first = study.question("cp-l2-label").json()
    assert study.question("cp-l2-label").json() == first  # a reload shows the same question
    one = study.answer("cp-l2-label", answer=letter(first, right=False)).json()
    assert (one["outcome"], one["attempts_left"], one["over"]) == ("retry", 1, False)
    two = study.answer("cp-l2-label", answer=letter(first, right=False)).json()
    assert (two["outcome"], two["rewind_to"], two["attempts_left"]) == ("rewind", 0.0, 0)
    # No third guess at this question: the segment must be watched again first.
    third = study.answer("cp-l2-label", answer=letter(first))
    assert third.status_code == 409 and third.json()["error"] == "rewatch_required"
    rewatch(study, clock, 40.0)
    fresh = study.question("cp-l2-label").json()
    assert fresh["question"]["stem"] != first["question"]["stem"]  # a new draw, not the same question
    assert study.answer("cp-l2-label", answer=letter(fresh)).json()["outcome"] == "passed"
    attempts = Attempt.objects.filter(user=zhangsan(), context_id="cp-l2-label").order_by("id")
    assert [a.correct for a in attempts] == [False, False, True]
    assert len({a.version_id for a in attempts}) == 2


def test_a_written_question_allows_three_answers_by_default(learner, clock):
    set_fields(LESSON1, checkpoints=[{**LESSON1_CHECKPOINTS[0], "policy": "retry"}, LESSON1_CHECKPOINTS[1]])
    study = Study(learner, LESSON1, clock)
    study.open()
    study.play(0, 30)
    view = study.question("cp-l1-duty").json()
    wrong = letter(view, "全面负责", right=False)
    outcomes = [study.answer("cp-l1-duty", answer=wrong).json() for _ in range(3)]
    assert [(o["outcome"], o["attempts_left"]) for o in outcomes] == [
        ("retry", 2),
        ("retry", 1),
        ("rewind", 0),
    ]
    assert outcomes[-1]["rewind_to"] == 0.0


def test_answers_are_counted_in_the_bank_not_only_in_the_learners_state(learner, clock):
    study = Study(learner, LESSON2, clock)
    study.open()
    study.play(0, 40)
    view = study.question("cp-l2-label").json()
    for _ in range(2):
        assert study.answer("cp-l2-label", answer="true").json()["outcome"] == "retry"
    # A third answer was recorded by a request that died before the block saved its state (or
    # by a parallel request): the block still sees three answers and gives no fourth.
    version = Attempt.objects.filter(user=zhangsan(), context_id="cp-l2-label").first().version_id
    key = attempt_key_prefix(zhangsan().id, LESSON2, "cp-l2-label", 0) + "3"
    usage = UsageKey.from_string(LESSON2)
    bank.record_attempt(
        zhangsan().id, usage.course_key, usage, "checkpoint", "cp-l2-label", version, "true", False, key
    )
    refused = study.answer("cp-l2-label", answer=letter(view, "错误"))
    assert refused.status_code == 409 and refused.json()["error"] == "attempts_exhausted"
    assert refused.json()["barrier"]["rewatch_from"] == 0.0
    assert Attempt.objects.filter(user=zhangsan(), context_id="cp-l2-label").count() == 3
    rewatch(study, clock, 40.0)  # the next round is answerable again
    assert study.answer("cp-l2-label", answer="false").json()["outcome"] == "passed"


def test_a_written_question_may_be_replaced_by_a_per_learner_bank_draw(demo_site, client, clock):
    add_bank_questions(6)
    entry = {**LESSON1_CHECKPOINTS[0], "draw_from_bank": True, "tags": {"trade": "安全生产"}}
    set_fields(LESSON1, checkpoints=[entry, LESSON1_CHECKPOINTS[1]])
    shown = {}
    for name in ("zhangsan", "lisi"):
        client.logout()
        assert client.login(username=name, password=demo_site["password"])
        study = Study(client, LESSON1, clock)
        study.open()
        study.play(0, 30)
        view = study.question("cp-l1-duty").json()
        assert study.question("cp-l1-duty").json() == view  # stable across reloads
        question = view["question"]
        assert question["stem"].startswith("题库题目") and "version_id" not in question
        assert [o["key"] for o in question["options"]] == ["A", "B", "C", "D"]  # letters by position
        assert study.answer("cp-l1-duty", answer=letter(view)).json()["outcome"] == "passed"
        shown[name] = (question["stem"], [o["text"] for o in question["options"]])
    assert shown["zhangsan"] != shown["lisi"]
    drawn = Attempt.objects.filter(context_id="cp-l1-duty").values_list("question__source", flat=True)
    assert set(drawn) == {Question.BANK}


def test_no_reply_carries_the_answer_key(learner, clock):
    """Every handler reply of a whole lesson, wrong and right answers included, grepped for the key."""
    study = Study(learner, LESSON1, clock)
    replies = {"open": json.dumps(study.open(), ensure_ascii=False)}
    study.play(0, 30)
    question = study.question("cp-l1-duty")
    wrong = study.answer(
        "cp-l1-duty", attempt_id="wrong-attempt-1", answer=letter(question.json(), "全面负责", False)
    )
    replayed = study.answer("cp-l1-duty", attempt_id="wrong-attempt-1", answer="A")
    rewatch(study, clock, 30.0)
    again = study.question("cp-l1-duty")
    right = study.answer("cp-l1-duty", answer=letter(again.json(), "全面负责"))
    progress = post_json(learner, LESSON1, "sync_progress", {})
    for name, response in [
        ("wrong", wrong),
        ("replayed", replayed),
        ("right", right),
        ("progress", progress),
    ]:
        replies[name] = response.content.decode()
    for name, body in replies.items():
        assert "correct_answer" not in body and '"answer"' not in body, name
        if name != "right":  # the explanation of a right answer may repeat what the learner chose
            assert "全面负责" not in body, name  # the right option's text: only in the question itself
    assert "第一责任人" not in replies["wrong"] + replies["replayed"]  # no explanation before it is earned
    assert "第一责任人" in replies["right"]
    for shown in (question, again):
        body = shown.content.decode()
        assert body.count("全面负责") == 1 and "第一责任人" not in body and "correct" not in body
