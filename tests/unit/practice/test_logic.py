"""Pure rules of the practice block: rounds, deadlines with grace, scores, author settings."""

from xueshi_practice import logic


def test_exam_round_carries_server_deadline_and_grace():
    round_ = logic.new_round(logic.EXAM, [3, 1, 2], now=1000.0, time_limit_minutes=10)
    assert round_["deadline"] == 1600.0 and round_["versions"] == [3, 1, 2]
    assert logic.remaining_seconds(round_, 1300.0) == 300.0
    assert logic.remaining_seconds(round_, 2000.0) == 0.0
    assert not logic.is_overdue(round_, 1600.0 + logic.GRACE_SECONDS)
    assert logic.is_overdue(round_, 1600.0 + logic.GRACE_SECONDS + 0.01)
    practice = logic.new_round(logic.PRACTICE, [1], now=1000.0, time_limit_minutes=10)
    assert practice["deadline"] is None and not logic.is_overdue(practice, 10**9)
    assert round_["id"] != practice["id"] and round_["seed"] != practice["seed"]


def test_finishing_and_scoring():
    practice = logic.new_round(logic.PRACTICE, [1, 2], now=0)
    practice["results"] = {"1": True}
    assert not logic.is_finished(practice)
    practice["results"]["2"] = False
    assert logic.is_finished(practice)
    score = logic.score({"1": True, "2": False}, total=4, pass_percent=50)
    assert (score.percent, score.passed) == (25.0, False)
    assert logic.score({"1": True, "2": True}, total=4, pass_percent=50).passed
    assert not logic.score({}, total=0, pass_percent=0).passed
    assert (
        logic.attempts_left(0, 9) is None
        and logic.attempts_left(3, 1) == 2
        and logic.attempts_left(2, 5) == 0
    )


def test_studio_values_are_validated_with_reasons():
    values = {
        "display_name": "模拟考试",
        "mode": "exam",
        "trades": "电工\n焊工\n",
        "knowledge_points": [],
        "difficulties": [1, "3"],
        "question_count": "20",
        "time_limit_minutes": 30,
        "pass_percent": 60,
        "max_attempts": 0,
        "weight": "2",
    }
    clean, errors = logic.validate_edits(values, str)
    assert errors == {}
    assert (
        clean["trades"] == ["电工", "焊工"]
        and clean["difficulties"] == [1, 3]
        and clean["question_count"] == 20
    )
    bad = {
        **values,
        "question_count": 0,
        "time_limit_minutes": 0,
        "difficulties": [7],
        "mode": "quiz",
        "weight": "x",
    }
    _clean, errors = logic.validate_edits(bad, str)
    assert set(errors) == {"question_count", "difficulties", "mode", "weight"}
    _clean, errors = logic.validate_edits({**values, "time_limit_minutes": 0}, str)
    assert set(errors) == {"time_limit_minutes"}
