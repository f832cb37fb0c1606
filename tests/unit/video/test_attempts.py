"""Pure rules of answering checkpoints (ADR 0413): limits, outcomes, per-learner letters, authoring."""

import pytest

from xueshi_video import attempts as rules
from xueshi_video import checkpoints as cp

pytestmark = pytest.mark.unit
ENGLISH = str


@pytest.mark.parametrize(
    ("policy", "correct", "wrong", "limit", "expected"),
    [
        ("retry", True, 0, 3, ("passed", True, "passed", False, 0)),
        ("retry", False, 1, 3, ("retry", False, None, False, 2)),
        ("retry", False, 3, 3, ("rewind", False, None, True, 0)),
        ("rewind", False, 1, 1, ("rewind", False, None, True, 0)),
        ("continue", False, 1, 1, ("continue", True, "failed", False, 0)),
        ("continue", True, 0, 1, ("passed", True, "passed", False, 0)),
    ],
)
def test_each_policy_limits_guessing(policy, correct, wrong, limit, expected):
    decision = rules.decide(policy, correct, wrong, limit)
    assert (
        decision.outcome,
        decision.over,
        decision.result,
        decision.new_round,
        decision.attempts_left,
    ) == expected


def test_the_limit_is_the_authors_under_retry_and_one_otherwise():
    assert rules.attempts_limit("retry", None) == 3
    assert rules.attempts_limit("retry", 5) == 5
    assert rules.attempts_limit("retry", 99) == 10 and rules.attempts_limit("retry", 0) == 1
    assert rules.attempts_limit("rewind", 5) == 1 and rules.attempts_limit("continue", 5) == 1


def test_letters_follow_the_shown_order_and_map_back_to_stored_keys():
    shown, mapping = rules.relabel(
        [{"key": "C", "text": "三"}, {"key": "A", "text": "一"}, {"key": "B", "text": "二"}]
    )
    assert shown == [{"key": "A", "text": "三"}, {"key": "B", "text": "一"}, {"key": "C", "text": "二"}]
    assert rules.stored_answer("b", mapping) == "A"
    assert rules.stored_answer(["A", "C"], mapping) == ["C", "B"]
    assert rules.stored_answer(["F"], mapping) == ["?"]  # not shown: the bank refuses it
    assert rules.stored_answer(7, mapping) == 7


def test_rounds_get_new_seeds_and_round_zero_keeps_the_old_one():
    base = cp.question_seed(7, "block-v1:X+Y+Z+type@xueshi_video+block@a", "cp-1")
    assert rules.round_seed(base, 0) == base
    assert len({rules.round_seed(base, n) for n in range(5)}) == 5


def test_attempt_keys_are_short_and_per_round():
    usage = "block-v1:" + "x" * 200
    first = rules.attempt_key_prefix(7, usage, "r-0123456789ab", 0)
    assert len(first + "10") < 191 and first != rules.attempt_key_prefix(7, usage, "r-0123456789ab", 1)


def test_authors_set_attempts_and_bank_draws_with_sane_defaults():
    raw = {
        "at": 30,
        "kind": "question",
        "question": {"type": "truefalse", "stem": "对吗？", "answer": "true"},
    }
    entry, error = cp.clean_checkpoint(raw, 120, ENGLISH, lambda: "cp-new")
    assert error is None and entry["max_attempts"] == 3 and entry["draw_from_bank"] is False
    entry, error = cp.clean_checkpoint({**raw, "max_attempts": 5, "draw_from_bank": True}, 120, ENGLISH, str)
    assert error is None and (entry["max_attempts"], entry["draw_from_bank"]) == (5, True)
    for bad in (0, 11, 2.5, "many"):
        assert "attempts" in cp.clean_checkpoint({**raw, "max_attempts": bad}, 120, ENGLISH, str)[1]
    assert cp.clean_checkpoint({**raw, "draw_from_bank": "yes"}, 120, ENGLISH, str)[1]
    config, error = cp.validate_random({"count": 2, "max_attempts": 4}, ENGLISH)
    assert error is None and config["max_attempts"] == 4
    schedule = cp.learner_schedule([], config, 120, user_id=1, usage_key="u", version=0)
    assert [s.config["max_attempts"] for s in schedule] == [4, 4]
