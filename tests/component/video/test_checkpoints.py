"""Quiz checkpoints end to end on the server: barriers stop credit, policies, answers recorded once.

The demo lessons carry checkpoints (``xueshi_video/scenarios.py``): lesson 1 a single-choice
question at 0:30 that rewinds on a wrong answer and a card at 1:15; lesson 2 a true-or-false
question at 0:40 (try again); lesson 3 a fill-in-the-blank at 0:45 (record and go on).
"""

import json

import pytest
from django.contrib.auth import get_user_model
from opaque_keys.edx.keys import UsageKey
from xueshi_questionbank.models import Attempt

from sandbox.lms.models import StudentModule, TrackingEvent
from xueshi_studytime import api as ledger

from .conftest import LESSON1, LESSON2, post_json, set_fields
from .quizkit import Study, add_bank_questions

pytestmark = pytest.mark.django_db
LESSON3 = "block-v1:XueshiDemo+AQ101+2026+type@xueshi_video+block@video_lesson3"


def user(name="zhangsan"):
    return get_user_model().objects.get(username=name)


def watched(usage, name="zhangsan"):
    return ledger.get_progress(user(name).id, UsageKey.from_string(usage)).watched_seconds


def test_credit_stops_at_the_checkpoint_and_beats_are_refused_until_it_is_answered(learner, clock):
    study = Study(learner, LESSON1, clock)
    grant = study.open()
    assert [(i["id"], i["at"], i["passed"]) for i in grant["checkpoints"]["items"]] == [
        ("cp-l1-duty", 30.0, False),
        ("cp-l1-card", 75.0, False),
    ]
    assert grant["checkpoints"]["barrier"]["next"] == 30.0
    replies = study.play(0, 50)
    assert watched(LESSON1) == pytest.approx(30.0)
    reached = next(r for r in replies if r["checkpoint"]["due"] == 30.0)
    assert reached["position"] == 30.0
    assert replies[-1]["reason"] == "checkpoint_pending" and replies[-1]["credited"] == 0
    # Seeking far ahead is refused and the kept position never passes the checkpoint.
    clock.advance(1)
    assert study.beat(110.0)["position"] <= 30.0
    assert watched(LESSON1) == pytest.approx(30.0)


def test_the_question_is_shown_without_answer_and_a_wrong_answer_rewinds(learner, clock):
    study = Study(learner, LESSON1, clock)
    study.open()
    study.play(0, 30)
    shown = study.question("cp-l1-duty")
    assert shown.status_code == 200
    view = shown.json()
    assert view["kind"] == "question" and view["question"]["type"] == "single"
    raw = shown.content.decode()
    assert "explanation" not in raw and "answer" not in raw and "第一责任人" not in raw
    wrong = next(o["key"] for o in view["question"]["options"] if o["text"] != "全面负责")
    reply = study.answer("cp-l1-duty", answer=wrong)
    assert reply.status_code == 200, reply.content
    body = reply.json()
    assert body["outcome"] == "rewind" and body["rewind_to"] == 0.0 and body["passed"] is False
    assert "correct_answer" not in body and "explanation" not in body  # the learner will try again
    # Not yet watched again: answering is refused, also after a jump to just before the checkpoint.
    again = study.answer("cp-l1-duty", answer="A")
    assert again.status_code == 409 and again.json()["error"] == "rewatch_required"
    clock.advance(1)
    study.beat(29.0, playing=False, event="seek")
    study.play(29.0, 30.0, step=1)
    assert study.answer("cp-l1-duty", answer="A").json()["error"] == "rewatch_required"
    # Watching [0, 30] again by the server's clock makes it answerable; nothing is credited twice.
    before = watched(LESSON1)
    clock.advance(1)
    study.beat(0.0, playing=False, event="seek")
    study.play(0.0, 30.0)
    assert watched(LESSON1) == pytest.approx(before)
    view = study.question("cp-l1-duty").json()  # after a rewind the options come in a new order
    right = next(o["key"] for o in view["question"]["options"] if o["text"] == "全面负责")
    passed = study.answer("cp-l1-duty", answer=right).json()
    assert passed["outcome"] == "passed" and passed["correct"] is True
    assert "correct_answer" not in passed and "第一责任人" in passed["explanation"]
    assert passed["checkpoints"]["barrier"]["next"] == 75.0
    # Credit continues past the checkpoint, up to the next one.
    study.play(30.0, 80.0)
    assert watched(LESSON1) == pytest.approx(75.0)
    attempts = Attempt.objects.filter(user=user(), context="checkpoint", context_id="cp-l1-duty")
    assert [a.correct for a in attempts.order_by("id")] == [False, True]
    assert len({a.version_id for a in attempts}) == 1


def test_a_card_is_passed_by_acknowledging_it(learner, clock):
    study = Study(learner, LESSON1, clock)
    study.open()
    study.play(0, 30)
    options = study.question("cp-l1-duty").json()["question"]["options"]
    right = next(o["key"] for o in options if o["text"] == "全面负责")
    assert study.answer("cp-l1-duty", answer=right).json()["passed"]
    study.play(30, 75)
    card = study.question("cp-l1-card").json()
    assert card["kind"] == "card" and "三同时" in card["card"]["title"]
    assert study.answer("cp-l1-card").status_code == 400  # not acknowledged
    done = study.answer("cp-l1-card", acknowledged=True).json()
    assert done["passed"] and done["checkpoints"]["barrier"]["next"] is None
    study.play(75, 120)
    assert watched(LESSON1) == pytest.approx(120.0)
    assert TrackingEvent.objects.filter(event_type="xueshi.video.checkpoint.answered").count() == 2


def test_try_again_keeps_the_checkpoint_due_until_right(learner, clock):
    study = Study(learner, LESSON2, clock)
    study.open()
    study.play(0, 40)
    assert study.question("cp-l2-label").json()["question"]["type"] == "truefalse"
    first = study.answer("cp-l2-label", answer="true").json()
    assert (first["outcome"], first["passed"], first["correct"]) == ("retry", False, False)
    assert "correct_answer" not in first
    assert ledger.barrier_state(user().id, LESSON2).due == 40.0
    second = study.answer("cp-l2-label", answer="false").json()
    assert second["outcome"] == "passed" and "correct_answer" not in second


def test_record_and_go_on_releases_the_barrier_but_records_the_checkpoint_failed(learner, clock):
    set_fields(LESSON3, random_checkpoints={}, score_checkpoints=True, weight=4.0)
    study = Study(learner, LESSON3, clock)
    study.open()
    study.play(0, 45)
    wrong = study.answer("cp-l3-drill", answer=["一年"]).json()
    assert wrong["outcome"] == "continue" and wrong["over"] and wrong["correct"] is False
    assert wrong["passed"] is False and "半年" not in json.dumps(wrong, ensure_ascii=False)
    item = next(i for i in wrong["checkpoints"]["items"] if i["id"] == "cp-l3-drill")
    assert (item["passed"], item["over"]) == (False, True)
    assert wrong["checkpoints"]["barrier"]["next"] is None  # the author's policy: the video goes on
    again = study.answer("cp-l3-drill", answer=["半年"])  # one answer: no second chance to score
    assert again.status_code == 409 and "not passed" in again.json()["message"]
    study.play(45, 90)
    progress = post_json(learner, LESSON3, "sync_progress", {}).json()
    assert progress["completed"] and progress["graded"]
    module = StudentModule.objects.get(student=user(), usage_key=UsageKey.from_string(LESSON3))
    assert (module.grade, module.max_grade) == (0.0, 4.0)  # the only question was wrong at first


def test_without_the_setting_the_score_is_the_weight_once_completed(learner, clock):
    set_fields(LESSON3, random_checkpoints={}, weight=2.0)
    study = Study(learner, LESSON3, clock)
    study.open()
    study.play(0, 45)
    study.answer("cp-l3-drill", answer=["一年"])
    study.play(45, 90)
    assert post_json(learner, LESSON3, "sync_progress", {}).json()["graded"]
    module = StudentModule.objects.get(student=user(), usage_key=UsageKey.from_string(LESSON3))
    assert module.grade == 2.0


def test_a_replayed_answer_is_recorded_once_and_gets_a_clear_409(learner, clock):
    study = Study(learner, LESSON2, clock)
    study.open()
    study.play(0, 40)
    first = study.answer("cp-l2-label", attempt_id="attempt-0001", answer="true")
    assert first.status_code == 200
    replay = study.answer("cp-l2-label", attempt_id="attempt-0001", answer="true")
    assert replay.status_code == 409
    assert replay.json()["error"] == "already_answered" and replay.json()["result"] == first.json()
    assert Attempt.objects.filter(user=user(), context_id="cp-l2-label").count() == 1


def test_random_checkpoints_draw_bank_questions_with_options_shuffled_per_learner(demo_site, client, clock):
    add_bank_questions(6)
    set_fields(LESSON3, checkpoints=[])  # no draw is dropped near a fixed one (draws vary with user ids)
    views = {}
    for name in ("zhangsan", "lisi"):
        client.logout()
        assert client.login(username=name, password=demo_site["password"])
        study = Study(client, LESSON3, clock)
        items = study.open()["checkpoints"]["items"]
        randoms = [i for i in items if i["id"].startswith("r-")]
        assert len(randoms) == 2
        first = randoms[0]
        study.play(0, first["at"], step=5)
        view = study.question(first["id"]).json()
        assert view["kind"] == "question" and len(view["question"]["options"]) == 4
        right = next(o["key"] for o in view["question"]["options"] if o["text"] == "按规程操作")
        assert study.answer(first["id"], answer=right).json()["outcome"] == "passed"
        views[name] = (first["at"], [o["key"] for o in view["question"]["options"]])
    assert views["zhangsan"][0] != views["lisi"][0]  # each learner has their own times
    record = Attempt.objects.filter(context="checkpoint", context_id__startswith="r-").first()
    assert record is not None and record.correct


def test_the_rendered_page_and_the_grant_carry_no_answers(learner, clock):
    page = learner.get(f"/xblock/{LESSON1}").content.decode()
    for secret in ("第一责任人", "全面负责", '"answer"', "explanation", "三同时"):
        assert secret not in page
    grant = Study(learner, LESSON1, clock).open()
    text = json.dumps(grant, ensure_ascii=False)
    assert "全面负责" not in text and "explanation" not in text and "三同时" not in text
