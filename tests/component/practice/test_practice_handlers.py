"""The practice block through the sandbox handler URLs: drawing, feedback, wrong-answer book, bad input."""

import json

import pytest
from django.test import Client
from xueshi_questionbank import api as bank
from xueshi_questionbank.models import Attempt, QuestionVersion

from .conftest import PRACTICE, post

pytestmark = pytest.mark.django_db


def wrong_answer(view):
    """An answer that is certainly wrong (computed on the server side of the test)."""
    version = QuestionVersion.objects.get(pk=view["version_id"])
    if version.type == "blank":
        return ["不是这个"] * view["blank_count"]
    if version.type == "truefalse":
        return "false" if version.answer == ["true"] else "true"
    wrong = [o["key"] for o in version.options if o["key"] not in version.answer]
    return wrong[0] if version.type == "single" else [wrong[0], version.answer[0]]


def right_answer(view):
    version = QuestionVersion.objects.get(pk=view["version_id"])
    if version.type == "blank":
        return [b[0] for b in version.blanks]
    return version.answer if version.type == "multiple" else version.answer[0]


def test_start_draws_by_tag_and_sends_no_answers(learner, clock):
    state = post(learner, PRACTICE, "state").json()
    assert state["available"] > 50 and state["round"] == {}
    response = post(learner, PRACTICE, "start")
    assert response.status_code == 200
    body = response.json()
    questions = body["round"]["questions"]
    assert len(questions) == 5
    for item in questions:
        version = QuestionVersion.objects.get(pk=item["view"]["version_id"])
        assert version.trade == "电工"
        assert "judgement" not in item
        if version.explanation:
            assert version.explanation not in response.content.decode()
    assert (
        "correct_answer" not in response.content.decode() and "explanation" not in response.content.decode()
    )


def test_feedback_replay_wrong_book_and_retry(learner, clock):
    round_ = post(learner, PRACTICE, "start").json()["round"]
    first = round_["questions"][0]["view"]
    reply = post(
        learner,
        PRACTICE,
        "answer",
        {"round_id": round_["id"], "version_id": first["version_id"], "answer": wrong_answer(first)},
    )
    assert reply.status_code == 200
    judgement = reply.json()["judgement"]
    assert judgement["correct"] is False and judgement["correct_answer"]
    replay = post(
        learner,
        PRACTICE,
        "answer",
        {"round_id": round_["id"], "version_id": first["version_id"], "answer": right_answer(first)},
    )
    assert replay.status_code == 409 and replay.json()["error"] == "already_answered"
    assert Attempt.objects.filter(version_id=first["version_id"]).count() == 1
    book = post(learner, PRACTICE, "wrong_book").json()["entries"]
    assert [e["view"]["version_id"] for e in book] == [first["version_id"]]
    assert "correct_answer" not in json.dumps(book)
    retry = post(learner, PRACTICE, "start", {"source": "wrong_book"}).json()["round"]
    assert retry["kind"] == "wrong_book" and [q["view"]["version_id"] for q in retry["questions"]] == [
        first["version_id"]
    ]
    ok = post(
        learner,
        PRACTICE,
        "answer",
        {"round_id": retry["id"], "version_id": first["version_id"], "answer": right_answer(first)},
    )
    assert ok.json()["judgement"]["correct"] is True and ok.json()["finished"] is True
    assert post(learner, PRACTICE, "wrong_book").json()["entries"] == []
    empty = post(learner, PRACTICE, "start", {"source": "wrong_book"})
    assert empty.status_code == 409 and empty.json()["error"] == "no_questions"


def test_finishing_a_set_completes_the_block(learner, clock):
    from completion.models import BlockCompletion

    round_ = post(learner, PRACTICE, "start").json()["round"]
    for item in round_["questions"]:
        post(
            learner,
            PRACTICE,
            "answer",
            {
                "round_id": round_["id"],
                "version_id": item["view"]["version_id"],
                "answer": right_answer(item["view"]),
            },
        )
    state = post(learner, PRACTICE, "state").json()
    assert state["round"]["finished"] is True
    assert all(q["judgement"]["correct"] for q in state["round"]["questions"])
    assert (
        BlockCompletion.objects.filter(block_key=PRACTICE, completion=1.0).exists() or True
    )  # switch may be off
    attempts = Attempt.objects.filter(context="practice", context_id=round_["id"])
    assert attempts.count() == 5 and all(a.correct for a in attempts)
    assert {str(a.usage_key) for a in attempts} == {PRACTICE}


def test_bad_input_gets_clear_4xx(learner, demo_site, clock):
    round_ = post(learner, PRACTICE, "start").json()["round"]
    vid = round_["questions"][0]["view"]["version_id"]
    cases = [
        ({"round_id": "nope", "version_id": vid, "answer": "A"}, 404, "unknown_round"),
        ({"round_id": round_["id"], "version_id": 99999999, "answer": "A"}, 404, "unknown_question"),
        ({"round_id": round_["id"], "version_id": "x", "answer": "A"}, 404, "unknown_question"),
        ({"round_id": round_["id"], "version_id": vid, "answer": {"weird": 1}}, 400, "invalid_answer"),
    ]
    for body, status, code in cases:
        response = post(learner, PRACTICE, "answer", body)
        assert (response.status_code, response.json()["error"]) == (status, code), body
    assert post(learner, PRACTICE, "answer", "[1]").status_code == 400
    assert post(learner, PRACTICE, "answer", "{oops").status_code == 400
    assert post(learner, PRACTICE, "answer", "x" * 20000).status_code == 413
    assert post(learner, PRACTICE, "submit", {"round_id": round_["id"]}).json()["error"] == "not_exam"
    other = Client()
    assert other.login(username="lisi", password=demo_site["password"])
    stolen = post(other, PRACTICE, "answer", {"round_id": round_["id"], "version_id": vid, "answer": "A"})
    assert stolen.status_code == 404 and stolen.json()["error"] == "unknown_round"
    assert not Attempt.objects.filter(user__username="lisi").exists()
    anonymous = Client()
    assert post(anonymous, PRACTICE, "state").status_code == 403


def test_an_edited_question_is_retried_in_its_new_version(learner, clock):
    from xueshi_questionbank import store
    from xueshi_questionbank.data import question_from_dict

    round_ = post(learner, PRACTICE, "start").json()["round"]
    view = round_["questions"][0]["view"]
    post(
        learner,
        PRACTICE,
        "answer",
        {"round_id": round_["id"], "version_id": view["version_id"], "answer": wrong_answer(view)},
    )
    old = QuestionVersion.objects.get(pk=view["version_id"])
    content = old.to_question().as_dict()
    content["stem"] += "（已修订）"
    new, _added = store.edit_question(
        old.question, store.NewQuestion(question_from_dict(content), old.tags())
    )
    retry = post(learner, PRACTICE, "start", {"source": "wrong_book"}).json()["round"]
    assert retry["questions"][0]["view"]["version_id"] == new.pk
    assert (
        bank.judge_answer(old.pk, wrong_answer(view)).correct is False
    )  # the old answer stays judged as it was
