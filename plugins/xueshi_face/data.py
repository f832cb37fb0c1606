"""Plain values and pure rules of face checks (no Django).

What engines return, how a check is decided, when the next random check falls. Kept pure so the
rules are unit-tested without a database.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

# Decisions stored on every check (never rename: they are in the database and in exports).
PASSED, FAILED, ERROR = "passed", "failed", "error"
# Liveness results.
LIVE, NOT_LIVE, SKIPPED, UNSUPPORTED = "passed", "failed", "skipped", "unsupported"
# Contexts of a check.
SIGNIN, STUDY, MANUAL = "signin", "study", "manual"
CONTEXTS = (SIGNIN, STUDY, MANUAL)
HOLD_KIND = {SIGNIN: "face_signin", STUDY: "face_check"}


@dataclass(frozen=True)
class FaceBox:
    """A face found in an image: pixel rectangle and the detector's confidence (when it gives one)."""

    left: int
    top: int
    width: int
    height: int
    confidence: float | None = None


@dataclass(frozen=True)
class Comparison:
    """An engine's answer to "are these two faces one person?": a similarity score on its own scale."""

    score: float
    engine: str
    detail: str = ""


@dataclass(frozen=True)
class Liveness:
    """Whether the frames show a live person (a head turn between frames), and the measure used."""

    result: str
    measure: float | None = None
    detail: str = ""


@dataclass(frozen=True)
class Decision:
    """The outcome of one check, as stored and returned to the page."""

    decision: str
    matched: bool
    score: float | None
    threshold: float
    liveness: str
    reason: str = ""


@dataclass(frozen=True)
class CheckContext:
    """Why a check is asked for: sign-in, study (with course and block) or a manual check."""

    kind: str = MANUAL
    course_key: str = ""
    usage_key: str = ""

    @property
    def hold_kind(self) -> str:
        """The ledger hold this check clears when it passes ('' for manual checks)."""
        return HOLD_KIND.get(self.kind, "")


def decide(score: float | None, threshold: float, liveness: str, *, liveness_required: bool) -> Decision:
    """Pass only a score at or above the threshold, with liveness passed when it is required.

    ``score is None`` means no comparison could be made (no face, engine error): that fails.
    """
    if score is None or math.isnan(score):
        return Decision(FAILED, False, None, threshold, liveness, "no_comparison")
    matched = score >= threshold
    if not matched:
        return Decision(FAILED, False, score, threshold, liveness, "mismatch")
    if liveness_required and liveness != LIVE:
        return Decision(FAILED, True, score, threshold, liveness, "liveness")
    return Decision(PASSED, True, score, threshold, liveness, "")


def head_turn(yaws: Sequence[float | None], min_turn: float) -> Liveness:
    """Liveness from per-frame yaw ratios: the head must turn by ``min_turn`` between frames.

    A frame without a face (``None``) is ignored; fewer than two usable frames cannot show a turn.
    """
    usable = [y for y in yaws if y is not None]
    if len(usable) < 2:
        return Liveness(NOT_LIVE, None, "fewer than two frames with a face")
    turn = max(usable) - min(usable)
    return Liveness(LIVE if turn >= min_turn else NOT_LIVE, round(turn, 4), "head turn")


# Poses a liveness challenge asks for. The camera frame is not mirrored: a learner turning to
# their own left moves the nose towards the image's right, so "left" is a positive yaw ratio.
LEFT, CENTRE, RIGHT = "left", "centre", "right"
POSES = (LEFT, CENTRE, RIGHT)


def choose_poses(rng: random.Random, length: int = 3) -> tuple[str, ...]:
    """A random pose sequence: never the same pose twice in a row.

    With three or more poses it turns to each side, so one recorded turn (or a still photo)
    cannot answer it.
    """
    length = max(2, length)
    while True:
        poses = [rng.choice(POSES)]
        while len(poses) < length:
            poses.append(rng.choice([pose for pose in POSES if pose != poses[-1]]))
        if length < 3 or (LEFT in poses and RIGHT in poses):
            return tuple(poses)


def pose_of(yaw: float | None, min_turn: float) -> str | None:
    """The pose a yaw ratio shows: turned at ``min_turn`` or more, centred within half of it.

    In between (or without a face) it is no pose at all.
    """
    if yaw is None:
        return None
    if yaw >= min_turn:
        return LEFT
    if yaw <= -min_turn:
        return RIGHT
    return CENTRE if abs(yaw) <= min_turn / 2 else None


def follows_poses(poses: Sequence[str], yaws: Sequence[float | None], min_turn: float) -> Liveness:
    """Liveness of a challenge: one frame per requested pose, each showing its pose, in order."""
    if len(yaws) != len(poses):
        return Liveness(NOT_LIVE, None, f"{len(yaws)} frames for {len(poses)} poses")
    shown = [pose_of(yaw, min_turn) for yaw in yaws]
    usable = [yaw for yaw in yaws if yaw is not None]
    measure = round(max(usable) - min(usable), 4) if usable else None
    for number, (asked, seen) in enumerate(zip(poses, shown, strict=True), start=1):
        if asked != seen:
            return Liveness(NOT_LIVE, measure, f"frame {number} shows {seen or 'no clear pose'}, not {asked}")
    return Liveness(LIVE, measure, "pose sequence " + ",".join(poses))


def next_check_delay(mean_minutes: float, min_gap_seconds: float, rng: random.Random) -> float | None:
    """Seconds until the next random check, or ``None`` when random checks are off (mean 0).

    Exponential with the given mean, so checks are memoryless (a learner cannot predict one from
    the last); never sooner than the minimum gap, never later than three means.
    """
    if mean_minutes <= 0:
        return None
    mean = mean_minutes * 60.0
    delay = rng.expovariate(1.0 / mean)
    return float(min(max(delay, min_gap_seconds), 3 * mean))
