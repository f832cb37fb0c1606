"""Checkpoint schedules, authoring and bad input: clear 4xx answers, never a 500."""

import pytest
from django.contrib.auth import get_user_model
from xueshi_questionbank.models import Attempt, Question, QuestionVersion

from .conftest import LESSON1, LESSON2, handler_url, post_json, set_fields
from .quizkit import Study, add_bank_questions, empty_demo_bank

pytestmark = pytest.mark.django_db
RANDOM = {"count": 3, "tags": {}, "policy": "retry", "rewind_to": None}


def schedule(client, clock, usage=LESSON1):
    items = Study(client, usage, clock).open()["checkpoints"]["items"]
    return [(i["id"], i["at"]) for i in items if i["id"].startswith("r-")]


def test_random_schedules_are_stable_per_learner_and_differ_between_learners(demo_site, client, clock):
    # Without fixed checkpoints no draw is dropped near one (user ids, and so draws, vary by run).
    set_fields(LESSON1, random_checkpoints=RANDOM, checkpoints=[])
    assert client.login(username="zhangsan", password=demo_site["password"])
    first = schedule(client, clock)
    assert len(first) == 3 and first == schedule(client, clock)  # reload: the same times
    assert all(6 <= at <= 114 for _id, at in first)
    client.logout()
    assert client.login(username="lisi", password=demo_site["password"])
    other = schedule(client, clock)
    assert {at for _i, at in other} != {at for _i, at in first}
    assert not {i for i, _a in other} & {i for i, _a in first}  # ids are per learner too
    # A new random setting (version) draws new times.
    set_fields(LESSON1, checkpoint_version=1)
    assert schedule(client, clock) != other


def test_bad_bodies_get_clear_4xx(learner, clock):
    study = Study(learner, LESSON2, clock)
    study.open()
    url = handler_url(LESSON2, "answer_checkpoint")
    cases = [
        (learner.post(url, data="{not json", content_type="application/json"), 400, "invalid_json"),
        (learner.post(url, data="[1]", content_type="application/json"), 400, "invalid_json"),
        (
            post_json(learner, LESSON2, "answer_checkpoint", {"checkpoint_id": "cp-l2-label"}),
            400,
            "invalid_attempt_id",
        ),
        (study.answer("cp-l2-label", attempt_id="x"), 400, "invalid_attempt_id"),
        (study.answer(None), 400, "invalid_checkpoint"),
        (study.answer(["cp-l2-label"]), 400, "invalid_checkpoint"),
        (study.answer("cp-unknown"), 404, "unknown_checkpoint"),
        (study.answer("cp-l2-label", answer="true"), 409, "checkpoint_not_reached"),
        (study.question("cp-nope"), 404, "unknown_checkpoint"),
        (learner.get(url), 405, "method_not_allowed"),
    ]
    for response, status, code in cases:
        assert response.status_code == status, response.content
        assert response.json()["error"] == code
        assert response.json().get("message")
    study.play(0, 40)
    for answer in (123, {"x": 1}, ["true", "false"], None, "maybe"):
        response = study.answer("cp-l2-label", answer=answer)
        assert response.status_code == 400 and response.json()["error"] == "invalid_answer", answer
    assert not Attempt.objects.exists()


def test_another_learners_checkpoint_is_unknown(demo_site, client, clock):
    set_fields(LESSON1, random_checkpoints=RANDOM)
    assert client.login(username="zhangsan", password=demo_site["password"])
    theirs = schedule(client, clock)[0][0]
    client.logout()
    assert client.login(username="lisi", password=demo_site["password"])
    Study(client, LESSON1, clock).open()
    response = post_json(
        client, LESSON1, "answer_checkpoint", {"checkpoint_id": theirs, "attempt_id": "a" * 16}
    )
    assert response.status_code == 404 and response.json()["error"] == "unknown_checkpoint"


def test_anonymous_visitors_cannot_answer(demo_site, client):
    body = {"checkpoint_id": "cp-l2-label", "attempt_id": "a" * 16}
    assert post_json(client, LESSON2, "answer_checkpoint", body).status_code == 403


def test_a_passed_checkpoint_cannot_be_answered_again(learner, clock):
    study = Study(learner, LESSON2, clock)
    study.open()
    study.play(0, 40)
    assert study.answer("cp-l2-label", answer="false").json()["passed"]
    again = study.answer("cp-l2-label", answer="false")
    assert again.status_code == 409 and again.json()["error"] == "checkpoint_passed"
    assert study.question("cp-l2-label").status_code == 409


CHECKPOINT = {
    "at": 20,
    "kind": "question",
    "policy": "rewind",
    "rewind_to": "",
    "tags": {"trade": "安全生产", "knowledge_point": "", "difficulty": ""},
    "question": {
        "type": "multiple",
        "stem": "哪些属于个人防护用品？",
        "options": ["安全帽", "安全带", "手机"],
        "answer": "AB",
        "explanation": "手机不是防护用品。",
    },
}


def save(author, **values):
    return save_to(author, LESSON1, **values)


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"at": 500}, "inside the video"),
        ({"kind": "quiz"}, "kind of checkpoint"),
        ({"policy": "skip"}, "wrong answer"),
        ({"rewind_to": 30}, "Rewind to a time before"),
        ({"question": {**CHECKPOINT["question"], "answer": "A"}}, "at least two correct options"),
        ({"question": {**CHECKPOINT["question"], "answer": "Z"}}, "correct option"),
        ({"question": {**CHECKPOINT["question"], "options": ["只有一个"]}}, "2 to 6 options"),
        ({"question": {**CHECKPOINT["question"], "stem": " "}}, "1 to 2000"),
        ({"tags": {"difficulty": 9}}, "Difficulty"),
        ({"kind": "card", "card": {"text": "", "title": ""}}, "card needs a text"),
        ({"kind": "card", "card": {"text": "x", "image_url": "javascript:alert(1)"}}, "image"),
        ({"kind": "bank", "tags": {"trade": "没有这个工种"}}, "no question with these tags"),
    ],
)
def test_studio_refuses_bad_checkpoints_with_a_clear_message(author, change, needle):
    response = save(author, checkpoints=[{**CHECKPOINT, **change}])
    assert response.status_code == 400
    message = response.json()["field_errors"]["checkpoints"]
    assert message.startswith("Checkpoint 1 (") and needle in message


def test_studio_refuses_close_checkpoints_and_bad_random_settings(author):
    two = [CHECKPOINT, {**CHECKPOINT, "at": 21}]
    assert "closer than 3 seconds" in save(author, checkpoints=two).json()["field_errors"]["checkpoints"]
    errors = save(author, random_checkpoints={"count": 50}).json()["field_errors"]
    assert "0 to 20" in errors["random_checkpoints"]
    empty_demo_bank()
    errors = save(author, random_checkpoints={"count": 2, "tags": {}}).json()["field_errors"]
    assert "no question" in errors["random_checkpoints"]  # the demo bank is empty in this test
    assert save(author, score_checkpoints="yes").json()["field_errors"]["score_checkpoints"]


def test_studio_saves_checkpoints_and_versions_in_block_questions(author, clock):
    saved = save(author, checkpoints=[CHECKPOINT])
    assert saved.status_code == 200, saved.content
    entry = saved.json()["values"]["checkpoints"][0]
    assert entry["id"].startswith("cp-") and entry["question"]["answer"] == ["A", "B"]
    first_version = entry["version_id"]
    # Saving the same content again keeps the version; editing the stem adds one.
    same = save(author, checkpoints=[entry]).json()["values"]["checkpoints"][0]
    assert (same["id"], same["version_id"]) == (entry["id"], first_version)
    edited = {**entry, "question": {**entry["question"], "stem": "哪些属于劳动防护用品？"}}
    second = save(author, checkpoints=[edited]).json()["values"]["checkpoints"][0]
    assert second["id"] == entry["id"] and second["version_id"] != first_version
    versions = QuestionVersion.objects.filter(pk__in=[first_version, second["version_id"]])
    assert versions.count() == 2
    add_bank_questions(3)
    result = save(author, random_checkpoints={"count": 2, "tags": {"trade": "安全生产"}, "policy": "rewind"})
    assert result.status_code == 200 and result.json()["values"]["checkpoint_version"] == 1


def test_an_answer_is_judged_against_the_version_the_learner_was_shown(demo_site, client, clock):
    assert client.login(username="zhangsan", password=demo_site["password"])
    study = Study(client, LESSON2, clock)
    study.open()
    study.play(0, 40)
    assert "version_id" not in study.question("cp-l2-label").json()["question"]  # no handle for scripts
    shown = Question.objects.get(source=Question.BLOCK, local_id="cp-l2-label").current_version_id
    # The author turns the statement around while the learner reads it.
    fields = {
        "id": "cp-l2-label",
        "at": 40,
        "kind": "question",
        "policy": "retry",
        "question": {"type": "truefalse", "stem": "禁忌物料不得混存。", "answer": "true"},
    }
    client.logout()
    assert client.login(username="operator", password=demo_site["password"])
    assert save_to(client, LESSON2, checkpoints=[fields]).status_code == 200
    client.logout()
    assert client.login(username="zhangsan", password=demo_site["password"])
    reply = study.answer("cp-l2-label", answer="false").json()
    assert reply["correct"] is True  # judged against what was shown
    attempt = Attempt.objects.get(user=get_user_model().objects.get(username="zhangsan"))
    assert attempt.version_id == shown


def save_to(client, usage, **values):
    body = {"values": values}
    return post_json(client, usage, "submit_studio_edits", body, HTTP_ACCEPT_LANGUAGE="en")
