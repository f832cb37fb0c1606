"""The half-rate run offers half of the sustained maximum, counting every beat a learner sends."""

from __future__ import annotations

import pytest

from benchmarks.heartbeat.run import beats_per_learner, learners_for, learners_for_half

pytestmark = pytest.mark.unit


def attempt(rate: float, learners: int, verdict: str) -> dict:
    return {"requests": {"heartbeat": {"per_second": rate}}, "learners": learners, "verdict": verdict}


def test_the_least_slowed_attempt_measures_the_mix():
    # 330 learners kept up and sent 117 beats/s (1.06 per 3-second interval: ticks plus events);
    # 659 learners on a saturated server managed only 209/s.
    attempts = [attempt(117.0, 330, "under"), attempt(209.0, 659, "saturated")]
    assert beats_per_learner(attempts) == pytest.approx(117.0 / 330)


def test_half_of_the_maximum_counts_event_beats():
    attempts = [attempt(117.0, 330, "under"), attempt(209.0, 659, "saturated")]
    count = learners_for_half(attempts, best_rate=209.0, factor=10.0)
    assert count == 295  # ceil(104.5 / 0.3545...)
    assert count < learners_for(209.0 / 2, 10.0), "ticks alone would offer more than half"
    assert count * beats_per_learner(attempts) == pytest.approx(104.5, rel=0.01)


def test_over_offered_attempts_do_not_measure_the_mix():
    # Beats that ran late are fewer per learner than the mix sends; such an attempt is ignored.
    attempts = [attempt(150.0, 1000, "over"), attempt(120.0, 300, "saturated")]
    assert beats_per_learner(attempts) == pytest.approx(0.4)
    assert beats_per_learner([attempt(150.0, 1000, "over")]) == pytest.approx(0.15)


def test_without_learners_it_falls_back_to_one_beat_per_interval():
    assert learners_for_half([attempt(0.0, 0, "under")], 100.0, 10.0) == learners_for(50.0, 10.0)
