"""Statistics per question, learner and tag, counted from recorded attempts."""

import pytest
from xueshi_questionbank import api, stats

from .conftest import COURSE, USAGE

pytestmark = pytest.mark.django_db


def test_figures_per_question_learner_and_tag(learners, small_bank):
    me, other = learners
    easy, weld = small_bank["电工"][0], small_bank["焊工"][0]
    answers = [(me, easy, "A"), (me, weld, "A"), (other, easy, "B"), (other, weld, "B"), (other, easy, "A")]
    for n, (user, version, answer) in enumerate(answers):
        correct = api.judge_answer(version.pk, answer).correct
        api.record_attempt(user.id, COURSE, USAGE, "practice", "r", version.pk, answer, correct, f"s{n}")
    per_question = {line.key: line for line in stats.by_question(COURSE)}
    line = per_question[str(easy.question.uid)]
    assert (line.answered, line.correct, line.learners) == (3, 2, 2)
    assert round(line.right_rate, 3) == 0.667
    learners_lines = {line.label: line for line in stats.by_learner(COURSE)}
    assert (learners_lines["xiaoming"].answered, learners_lines["xiaoming"].correct) == (2, 1)
    assert (learners_lines["xiaohong"].answered, learners_lines["xiaohong"].correct) == (3, 2)
    trades = {line.key: line for line in stats.by_tag(COURSE, "trade")}
    assert (trades["电工"].answered, trades["电工"].correct) == (3, 2)
    assert (trades["焊工"].answered, trades["焊工"].correct) == (2, 1)
    levels = {line.key: line.answered for line in stats.by_tag(COURSE, "difficulty")}
    assert levels == {1: 3, 2: 2}
    assert stats.by_question(COURSE, context="exam") == []
    assert stats.for_question(easy.question).answered == 3
    with pytest.raises(ValueError):
        stats.by_tag(COURSE, "colour")
