"""Pure rules of face checks: the decision against a threshold, head-turn liveness, random check times."""

import itertools
import random
import statistics

import pytest

from xueshi_face.data import FAILED, LIVE, NOT_LIVE, PASSED, SKIPPED, decide, head_turn, next_check_delay


@pytest.mark.parametrize(
    ("score", "threshold", "liveness", "required", "decision", "reason"),
    [
        (72.5, 50.0, LIVE, True, PASSED, ""),
        (50.0, 50.0, LIVE, True, PASSED, ""),  # at the threshold is a pass (vendors' ">=")
        (49.99, 50.0, LIVE, True, FAILED, "mismatch"),
        (90.0, 50.0, NOT_LIVE, True, FAILED, "liveness"),
        (90.0, 50.0, SKIPPED, False, PASSED, ""),
        (90.0, 50.0, SKIPPED, True, FAILED, "liveness"),
        (None, 50.0, LIVE, True, FAILED, "no_comparison"),
        (float("nan"), 50.0, LIVE, True, FAILED, "no_comparison"),
    ],
)
def test_decide_passes_only_a_score_at_or_above_the_threshold_with_liveness_when_required(
    score, threshold, liveness, required, decision, reason
):
    result = decide(score, threshold, liveness, liveness_required=required)
    assert (result.decision, result.reason) == (decision, reason)
    assert result.threshold == threshold
    assert result.matched == (score is not None and score == score and score >= threshold)


def test_head_turn_needs_two_usable_frames_and_enough_change():
    assert head_turn([0.01, -0.23], 0.12).result == LIVE
    assert head_turn([0.01, -0.23], 0.12).measure == pytest.approx(0.24)
    assert head_turn([0.01, 0.05, 0.03], 0.12).result == NOT_LIVE  # a still face (a photo held up)
    assert head_turn([0.01, None, None], 0.12).result == NOT_LIVE  # one frame with a face
    assert head_turn([None, 0.2, -0.1], 0.12).result == LIVE  # frames without a face are ignored


def test_random_check_delay_is_off_at_zero_and_bounded():
    rng = random.Random(7)
    assert next_check_delay(0, 60, rng) is None
    delays = [next_check_delay(10, 60, rng) for _ in range(4000)]
    assert min(delays) >= 60 and max(delays) <= 1800
    # exponential with mean 10 minutes, clamped: the mean stays close to 10 minutes
    assert 520 <= statistics.mean(delays) <= 640
    assert len({round(d) for d in delays}) > 1000  # not predictable from the last one


def test_pose_sequences_never_repeat_a_pose_and_turn_both_ways():
    from xueshi_face.data import LEFT, RIGHT, choose_poses

    rng = random.Random(7)
    drawn = {choose_poses(rng) for _ in range(400)}
    assert len(drawn) == 8  # of the 3 x 2 x 2 sequences without a repeat, those turning both ways
    assert all(LEFT in poses and RIGHT in poses for poses in drawn)
    assert all(a != b for poses in drawn for a, b in itertools.pairwise(poses))
    assert len(choose_poses(rng, 2)) == 2


@pytest.mark.parametrize(
    ("yaw", "pose"),
    [(0.0, "centre"), (0.06, "centre"), (0.09, None), (0.12, "left"), (-0.3, "right"), (None, None)],
)
def test_pose_of_a_yaw_ratio(yaw, pose):
    from xueshi_face.data import pose_of

    assert pose_of(yaw, 0.12) == pose


def test_frames_must_show_the_poses_in_order():
    from xueshi_face.data import follows_poses

    asked = ("left", "centre", "right")
    assert follows_poses(asked, [0.2, 0.0, -0.2], 0.12).result == LIVE
    swapped = follows_poses(asked, [-0.2, 0.0, 0.2], 0.12)
    assert swapped.result == NOT_LIVE and "frame 1" in swapped.detail
    assert follows_poses(asked, [0.2, -0.2], 0.12).result == NOT_LIVE  # a frame missing
    assert follows_poses(asked, [0.2, None, -0.2], 0.12).result == NOT_LIVE  # no face in one
