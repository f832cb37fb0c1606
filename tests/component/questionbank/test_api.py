"""Contract C2 against MariaDB: draw, view, judge, versions, attempts, block questions, wrong-answer book."""

import pytest
from django.db import connection
from xueshi_questionbank import api, store
from xueshi_questionbank.data import Tags, question_from_dict
from xueshi_questionbank.exceptions import AttemptConflict, QuestionNotFound
from xueshi_questionbank.models import Attempt, ImmutableError, QuestionVersion

from .conftest import COURSE, FOREIGN_COURSE, OTHER_COURSE, USAGE, add_question, single

pytestmark = pytest.mark.django_db


def test_draw_by_tag_is_fixed_by_seed_and_never_shows_answers(small_bank):
    drawn = api.draw(COURSE, tags={"trade": "电工", "difficulty": 3}, count=5, seed="u1-round1")
    assert len(drawn) == 5
    ids = {v.pk for v in small_bank["电工"][10:]}
    assert {v.version_id for v in drawn} <= ids
    again = api.draw(COURSE, tags={"trade": ["电工"], "difficulty": [3]}, count=5, seed="u1-round1")
    assert again == drawn
    other = api.draw(COURSE, tags={"trade": "电工", "difficulty": 3}, count=5, seed="u2-round1")
    assert other != drawn
    payload = str([v.as_dict() for v in drawn])
    assert "解析" not in payload and "answer" not in payload


def test_draw_excludes_and_returns_fewer_when_bank_is_short(small_bank):
    first = api.draw(COURSE, tags={"trade": "焊工"}, count=6, seed=1)
    rest = api.draw(COURSE, tags={"trade": "焊工"}, count=10, seed=2, exclude=[v.version_id for v in first])
    assert len(rest) == 4 and not {v.version_id for v in rest} & {v.version_id for v in first}
    assert api.draw(COURSE, tags={"trade": "会计"}, count=5, seed=1) == []
    assert api.count_available(COURSE, {"trade": "电工"}) == 20


def test_shared_bank_serves_the_organisations_other_courses_only(small_bank):
    assert api.draw(OTHER_COURSE, tags={}, count=5, seed=1) == []
    bank = store.bank_for(COURSE)
    bank.shared = True
    bank.save()
    assert len(api.draw(OTHER_COURSE, tags={"trade": "焊工"}, count=50, seed=1)) == 10
    assert api.draw(FOREIGN_COURSE, tags={}, count=5, seed=1) == []


def test_editing_adds_a_version_and_old_answers_stay_judged_as_before(learners, db):
    v1 = add_question(COURSE, single("漏电保护器的作用？", answer="A"))
    assert api.judge_answer(v1.pk, "A").correct
    row = v1.question
    v2, added = store.edit_question(
        row,
        store.NewQuestion(question_from_dict(single("漏电保护器的作用？", "C")), Tags("电工", "安全用电", 2)),
    )
    assert added and v2.number == 2 and v2.pk != v1.pk
    assert api.judge_answer(v1.pk, "A").correct  # version 1 is what earlier answers met
    assert api.judge_answer(v2.pk, "C").correct and not api.judge_answer(v2.pk, "A").correct
    assert api.latest_version_id(v1.pk) == v2.pk
    same, added_again = store.edit_question(row, store.NewQuestion(v2.to_question(), v2.tags()))
    assert not added_again and same.pk == v2.pk
    with pytest.raises(ImmutableError):
        v1.stem = "改写"
        v1.save()
    with pytest.raises(ImmutableError):
        v1.delete()
    assert QuestionVersion.objects.get(pk=v1.pk).stem == "漏电保护器的作用？"


def test_view_of_unknown_version_raises(db):
    with pytest.raises(QuestionNotFound):
        api.view(999999, seed=1)
    with pytest.raises(QuestionNotFound):
        api.judge_answer("nope", "A")


def test_record_attempt_once_per_key_and_refuses_another_learner(learners, small_bank):
    version = small_bank["电工"][0]
    me, other = learners
    judged = api.judge_answer(version.pk, "A")
    first = api.record_attempt(me.id, COURSE, USAGE, "practice", "r1", version.pk, "A", judged.correct, "k-1")
    assert first.correct and not first.replayed and first.version_id == version.pk
    replay = api.record_attempt(me.id, COURSE, USAGE, "practice", "r1", version.pk, "B", False, "k-1")
    assert replay.replayed and replay.id == first.id and replay.correct  # the first record stands
    with pytest.raises(AttemptConflict):
        api.record_attempt(other.id, COURSE, USAGE, "practice", "r1", version.pk, "A", True, "k-1")
    with pytest.raises(ValueError):
        api.record_attempt(me.id, COURSE, USAGE, "homework", "r1", version.pk, "A", True, "k-2")
    assert Attempt.objects.count() == 1
    row = Attempt.objects.get()
    assert (row.user_id, str(row.course_key), str(row.usage_key), row.context) == (
        me.id,
        COURSE,
        USAGE,
        "practice",
    )


def test_block_questions_are_versioned_counted_and_never_drawn(learners, db):
    content = {
        "type": "truefalse",
        "stem": "视频中讲到：绝缘手套需定期检验。",
        "answer": True,
        "tags": {"trade": "电工"},
    }
    usage = "block-v1:BankOrg+E101+2026+type@xueshi_video+block@v1"
    v1 = api.upsert_block_question(COURSE, usage, "cp-1", content)
    assert api.upsert_block_question(COURSE, usage, "cp-1", content) == v1
    v2 = api.upsert_block_question(COURSE, usage, "cp-1", {**content, "answer": False})
    assert v2 != v1 and api.latest_version_id(v1) == v2
    assert api.judge_answer(v1, "true").correct and api.judge_answer(v2, "false").correct
    assert api.draw(COURSE, tags={}, count=10, seed=1) == []
    api.record_attempt(learners[0].id, COURSE, usage, "checkpoint", "cp-1", v2, "false", True, "cp-k")
    assert Attempt.objects.filter(question__local_id="cp-1").count() == 1
    with pytest.raises(api.InvalidQuestion):
        api.upsert_block_question(COURSE, usage, "cp-2", {"type": "single", "stem": ""})


def test_wrong_book_holds_latest_misses_and_drops_them_when_right(learners, small_bank):
    me = learners[0]
    a, b = small_bank["电工"][0], small_bank["电工"][1]
    api.record_attempt(me.id, COURSE, USAGE, "practice", "r1", a.pk, "B", False, "w1")
    api.record_attempt(me.id, COURSE, USAGE, "practice", "r1", b.pk, "C", False, "w2")
    api.record_attempt(me.id, COURSE, USAGE, "exam", "e1", a.pk, "C", False, "w3")
    book = api.wrong_book(me.id, COURSE)
    assert {e.version_id for e in book} == {a.pk, b.pk}
    assert next(e for e in book if e.version_id == a.pk).times_wrong == 2
    api.record_attempt(me.id, COURSE, USAGE, "practice", "r2", a.pk, "A", True, "w4")
    assert [e.version_id for e in api.wrong_book(me.id, COURSE)] == [b.pk]
    assert api.wrong_book(learners[1].id, COURSE) == []


def test_tag_values_for_editors(small_bank):
    values = api.tag_values(COURSE)
    assert values["trade"] == ["焊工", "电工"] or values["trade"] == sorted(["电工", "焊工"])
    assert set(values["difficulty"]) == {1, 2, 3}


def test_tables_hold_chinese_text(small_bank):
    assert connection.vendor == "mysql"
    assert QuestionVersion.objects.filter(stem="电工题3").exists()
