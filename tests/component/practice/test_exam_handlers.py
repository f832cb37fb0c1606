"""The mock exam: server start time and deadline, saved answers, server grading, late answers, attempts."""

import pytest
from xueshi_questionbank.models import Attempt

from sandbox.lms.models import StudentModule

from .conftest import EXAM, post, set_fields
from .test_practice_handlers import right_answer, wrong_answer

pytestmark = pytest.mark.django_db


def test_exam_end_to_end_grades_on_the_server_and_publishes_the_grade(learner, clock):
    started = post(learner, EXAM, "start").json()
    round_ = started["round"]
    assert round_["kind"] == "exam" and round_["remaining_seconds"] == 20 * 60
    assert started["attempts_left"] == 2
    questions = [q["view"] for q in round_["questions"]]
    assert len(questions) == 10
    for n, view in enumerate(questions):
        answer = right_answer(view) if n < 7 else wrong_answer(view)
        saved = post(
            learner,
            EXAM,
            "save_answer",
            {"round_id": round_["id"], "version_id": view["version_id"], "answer": answer},
        )
        assert saved.status_code == 200 and saved.json() == {"saved": True, "remaining_seconds": 1200.0}
        assert "correct" not in saved.content.decode()
    resumed = post(learner, EXAM, "start").json()["round"]  # reloading resumes, it does not redraw
    assert resumed["id"] == round_["id"] and all("judgement" not in q for q in resumed["questions"])
    assert "correct_answer" not in str(resumed)
    clock.now += 300
    result = post(learner, EXAM, "submit", {"round_id": round_["id"]}).json()
    assert result["score"] == {"correct": 7, "total": 10, "percent": 70.0, "passed": True, "pass_percent": 60}
    assert all("judgement" in q for q in result["questions"])
    module = StudentModule.objects.get(usage_key=EXAM)
    assert (module.grade, module.max_grade) == (0.7, 1.0)
    assert Attempt.objects.filter(context="exam", context_id=round_["id"]).count() == 10
    again = post(learner, EXAM, "submit", {"round_id": round_["id"]})
    assert again.status_code == 409 and again.json()["error"] == "already_submitted"
    assert Attempt.objects.filter(context="exam").count() == 10


def test_the_deadline_refuses_late_answers_and_submits_what_was_saved(learner, clock):
    round_ = post(learner, EXAM, "start").json()["round"]
    views = [q["view"] for q in round_["questions"]]
    post(
        learner,
        EXAM,
        "save_answer",
        {"round_id": round_["id"], "version_id": views[0]["version_id"], "answer": right_answer(views[0])},
    )
    clock.now += 20 * 60 + 3  # within the grace for answers in flight
    assert (
        post(
            learner,
            EXAM,
            "save_answer",
            {
                "round_id": round_["id"],
                "version_id": views[1]["version_id"],
                "answer": right_answer(views[1]),
            },
        ).status_code
        == 200
    )
    clock.now += 10
    late = post(
        learner,
        EXAM,
        "save_answer",
        {"round_id": round_["id"], "version_id": views[2]["version_id"], "answer": right_answer(views[2])},
    )
    assert late.status_code == 409 and late.json()["error"] == "time_up"
    result = late.json()["result"]
    assert result["late"] is True and result["score"]["correct"] == 2
    late_submit = post(
        learner,
        EXAM,
        "submit",
        {"round_id": round_["id"], "answers": {str(v["version_id"]): right_answer(v) for v in views}},
    )
    assert late_submit.status_code == 409
    assert Attempt.objects.filter(context="exam", correct=True).count() == 2


def test_an_abandoned_exam_is_submitted_at_the_deadline_on_next_visit(learner, clock):
    round_ = post(learner, EXAM, "start").json()["round"]
    view = round_["questions"][0]["view"]
    post(
        learner,
        EXAM,
        "save_answer",
        {"round_id": round_["id"], "version_id": view["version_id"], "answer": right_answer(view)},
    )
    clock.now += 3600
    state = post(learner, EXAM, "state").json()
    assert state["round"]["finished"] is True and state["round"]["late"] is True
    assert state["round"]["score"]["correct"] == 1 and state["round"]["score"]["passed"] is False
    assert StudentModule.objects.get(usage_key=EXAM).grade == 0.1


def test_a_late_submit_with_answers_counts_only_saved_ones(learner, clock):
    round_ = post(learner, EXAM, "start").json()["round"]
    views = [q["view"] for q in round_["questions"]]
    clock.now += 20 * 60 + 30
    body = {"round_id": round_["id"], "answers": {str(v["version_id"]): right_answer(v) for v in views}}
    result = post(learner, EXAM, "submit", body).json()
    assert result["late"] is True and result["score"]["correct"] == 0


def test_attempts_are_limited(learner, clock):
    set_fields(EXAM, max_attempts=1)
    round_ = post(learner, EXAM, "start").json()["round"]
    post(learner, EXAM, "submit", {"round_id": round_["id"]})
    refused = post(learner, EXAM, "start")
    assert refused.status_code == 409 and refused.json()["error"] == "no_attempts_left"


def test_practice_handlers_are_refused_in_an_exam(learner, clock):
    round_ = post(learner, EXAM, "start").json()["round"]
    view = round_["questions"][0]["view"]
    response = post(
        learner, EXAM, "answer", {"round_id": round_["id"], "version_id": view["version_id"], "answer": "A"}
    )
    assert response.status_code == 409 and response.json()["error"] == "exam_mode"
    bad = post(learner, EXAM, "submit", {"round_id": round_["id"], "answers": ["A"]})
    assert bad.status_code == 400
