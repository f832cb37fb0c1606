"""The bank's pure rules: question validation, per-seed shuffling with stable keys, judging."""

import pytest
from xueshi_questionbank.data import (
    BLANK,
    MULTIPLE,
    SINGLE,
    TRUEFALSE,
    InvalidAnswer,
    InvalidQuestion,
    TagFilter,
    count_blank_marks,
    draw_sample,
    judge,
    make_view,
    question_from_dict,
)

SINGLE_Q = {
    "type": SINGLE,
    "stem": "我国安全生产工作的方针是什么？",
    "options": {
        "A": "安全第一、预防为主、综合治理",
        "B": "效益优先",
        "C": "先生产后安全",
        "D": "谁主管谁负责",
    },
    "answer": "A",
    "explanation": "《安全生产法》第三条。",
}
MULTI_Q = {
    "type": MULTIPLE,
    "stem": "下列属于个人防护用品的有？",
    "options": {"A": "安全帽", "B": "绝缘手套", "C": "灭火器", "D": "护目镜"},
    "answer": ["D", "A", "B"],
}
TF_Q = {"type": TRUEFALSE, "stem": "电气设备着火时可以直接用水扑救。", "answer": "false"}
BLANK_Q = {
    "type": BLANK,
    "stem": "我国工频交流电的频率是____Hz，民用电压是____V。",
    "blanks": [["50"], ["220", "二百二十"]],
}


def test_content_round_trips_and_hash_is_stable():
    q = question_from_dict(MULTI_Q)
    assert q.answer == ("A", "B", "D")
    again = question_from_dict(q.as_dict())
    assert again == q and again.content_hash() == q.content_hash()
    assert question_from_dict({**MULTI_Q, "stem": "改过的题干"}).content_hash() != q.content_hash()


@pytest.mark.parametrize(
    "content, fragment",
    [
        ({**SINGLE_Q, "answer": ["A", "B"]}, "exactly one answer"),
        ({**SINGLE_Q, "answer": "G"}, "does not exist"),
        ({**MULTI_Q, "answer": ["A"]}, "at least two answers"),
        ({**SINGLE_Q, "options": {"A": "only"}}, "at least two options"),
        ({**SINGLE_Q, "stem": "  "}, "stem is empty"),
        ({**TF_Q, "answer": "maybe"}, "true or false"),
        ({**BLANK_Q, "blanks": [["50"]]}, "the stem has 2 blanks but the answer gives 1"),
        ({"type": "essay", "stem": "x"}, "unknown question type"),
    ],
)
def test_invalid_content_is_refused_with_reasons(content, fragment):
    with pytest.raises(InvalidQuestion) as caught:
        question_from_dict(content)
    assert any(fragment in e for e in caught.value.errors), caught.value.errors


def test_view_never_carries_answer_or_explanation():
    q = question_from_dict(SINGLE_Q)
    shown = make_view(7, q, seed="learner-1").as_dict()
    assert set(shown) == {"version_id", "type", "stem", "options", "blank_count"}
    assert "answer" not in str(shown) and "第三条" not in str(shown)


def test_options_shuffle_per_seed_but_keys_are_stable():
    q = question_from_dict(SINGLE_Q)
    orders = {tuple(o.key for o in make_view(7, q, seed=s).options) for s in range(30)}
    assert len(orders) > 3  # different learners see different orders
    first = make_view(7, q, seed="u1")
    assert make_view(7, q, seed="u1") == first  # the same learner sees the same order on reload
    assert {(o.key, o.text) for o in first.options} == {(o.key, o.text) for o in q.options}


def test_truefalse_keeps_its_order_and_blank_reports_count():
    assert [o.key for o in make_view(1, question_from_dict(TF_Q), seed=3).options] == ["true", "false"]
    assert make_view(2, question_from_dict(BLANK_Q), seed=3).blank_count == 2


def test_judging_each_type():
    single, multi = question_from_dict(SINGLE_Q), question_from_dict(MULTI_Q)
    assert judge(single, "a").correct and judge(single, ["A"]).correct
    assert not judge(single, "B").correct
    result = judge(multi, ["B", "A", "D"])
    assert result.correct and result.correct_answer == ("A", "B", "D")
    assert not judge(multi, ["A", "B"]).correct  # all or nothing
    tf = question_from_dict(TF_Q)
    assert judge(tf, False).correct and judge(tf, "false").correct and not judge(tf, "true").correct
    blank = question_from_dict(BLANK_Q)
    assert judge(blank, ["５０", " 二百二十 "]).correct  # full-width digits and spaces are fine
    assert not judge(blank, ["60", "220"]).correct
    assert judge(blank, ["50", "220"]).correct_answer == ("50", "220")
    assert judge(single, "A").explanation == "《安全生产法》第三条。"


@pytest.mark.parametrize(
    "content, answer",
    [(SINGLE_Q, ["A", "B"]), (SINGLE_Q, "Z"), (SINGLE_Q, 3), (MULTI_Q, []), (TF_Q, "yes"), (BLANK_Q, ["50"])],
)
def test_misshapen_answers_raise(content, answer):
    with pytest.raises(InvalidAnswer):
        judge(question_from_dict(content), answer)


def test_tag_filter_reads_values_and_lists():
    f = TagFilter.from_mapping({"trade": "电工", "difficulty": [1, "3"], "knowledge_point": []})
    assert f.trades == ("电工",) and f.difficulties == (1, 3) and f.knowledge_points == ()
    with pytest.raises(ValueError):
        TagFilter.from_mapping({"colour": "red"})


def test_draw_sample_is_fixed_by_seed_and_bounded():
    ids = list(range(1, 101))
    assert draw_sample(ids, 10, "s") == draw_sample(list(reversed(ids)), 10, "s")
    assert draw_sample(ids, 10, "s") != draw_sample(ids, 10, "t")
    assert len(draw_sample(ids[:3], 10, "s")) == 3


def test_blank_marks():
    assert count_blank_marks("电压是____V，频率（ ）Hz，相数()") == 3
