"""The crediting rule: how much study time one heartbeat earns, from server receive times only.

Pure functions and frozen values, no Django and no Redis, so the rule is property-tested on its
own (``tests/unit/studytime``) and the heartbeat path just feeds it state and stores its result.

The segment between two heartbeats is judged by the state the *previous* beat declared (playing,
visible, rate): a ``pause`` beat reports where playback stopped, so the segment it closes was
played; a ``play`` beat closes a paused segment, which earns nothing. The browser is untrusted:
whatever it claims, credit for a segment is at most

- the new coverage of ``[last accepted position, reported position]`` (an overlap is never counted
  twice: coverage is a merged interval set per learner and block), and
- ``(server_now - previous beat) * max allowed rate + slack``, where ``slack`` is a jitter bank of at
  most ``jitter`` seconds refilled only by time the learner did not use, so over a session
  ``sum(credit) <= elapsed * rate + jitter`` however often a script beats, and
- the learner's budget (``budget.py``): the same bound over *all* the learner's sessions, so
  opening new sessions, tabs, blocks or devices never adds server time (ADR 0040).

Quiz checkpoints add *barriers* (``barriers.py``): no position is kept, and so nothing is credited,
past the earliest unpassed one; reaching it makes it due, and beats then earn nothing until the
block passes it. Completion also waits until no barrier is left.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TypeGuard

from .barriers import NO_BARRIERS, Barriers, after_move
from .budget import LearnerBudget
from .data import VideoPolicy

Interval = tuple[float, float]
Intervals = tuple[Interval, ...]

REPLAY, LEASE_LOST, SESSION_ENDED = "replay", "lease_lost", "session_ended"
CHALLENGE_PENDING, CHECKPOINT_PENDING, HOLD = "challenge_pending", "checkpoint_pending", "hold"
GAP, SPEED, HIDDEN, PAUSED, SEEK = "gap", "speed", "hidden", "paused", "seek"
NO_MEDIA = "no_media"  # the media server delivered none of this video to the session (delivery.py)
NOT_DELIVERED = "not_delivered"  # the position is beyond what was delivered to the session (ADR 0053)
REASONS = (
    REPLAY,
    LEASE_LOST,
    SESSION_ENDED,
    CHALLENGE_PENDING,
    CHECKPOINT_PENDING,
    HOLD,
    GAP,
    SPEED,
    HIDDEN,
    PAUSED,
    SEEK,
    NO_MEDIA,
    NOT_DELIVERED,
)
EVENTS = ("tick", "play", "pause", "seek", "hide", "show", "unload", "ended", "rate")
RATE_TOLERANCE = 1e-6
NO_LEARNER = LearnerBudget()
IDLE_DRIFT = 1.0  # seconds a paused player's reported position may differ without claiming play


def merge(intervals: Iterable[Interval]) -> Intervals:
    """Sort and merge intervals; touching or overlapping ones become one, empty ones vanish."""
    merged: list[list[float]] = []
    for start, end in sorted((float(s), float(e)) for s, e in intervals if e > s):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((s, e) for s, e in merged)


def measure(intervals: Iterable[Interval]) -> float:
    """Total length of a merged interval set."""
    return sum(e - s for s, e in intervals)


def uncovered(intervals: Intervals, start: float, end: float) -> Intervals:
    """The parts of ``[start, end]`` that a merged interval set does not cover, in order."""
    gaps: list[Interval] = []
    cursor = start
    for s, e in intervals:
        if e <= cursor:
            continue
        if s >= end:
            break
        if s > cursor:
            gaps.append((cursor, min(s, end)))
        cursor = max(cursor, e)
        if cursor >= end:
            break
    if cursor < end:
        gaps.append((cursor, end))
    return tuple(gaps)


def extend(intervals: Intervals, start: float, end: float, budget: float) -> tuple[float, float]:
    """Walk from ``start`` towards ``end`` spending ``budget`` seconds on uncovered content.

    Returns ``(gain, stop)``: the new coverage earned and where the walk stopped (``end`` when the
    budget sufficed). Covered stretches cost nothing, so re-watching is free but earns nothing.
    """
    gain, stop = 0.0, end
    for s, e in uncovered(intervals, start, end):
        if gain + (e - s) > budget:
            return budget, s + (budget - gain)
        gain += e - s
    return gain, stop


@dataclass(frozen=True)
class Rules(VideoPolicy):
    """The policy of one video (validated by ``VideoPolicy``) plus the server's tolerances."""

    jitter: float = 1.0
    gap_intervals: float = 2.0
    seek_tolerance: float = 5.0

    @property
    def gap_limit(self) -> float:
        """A segment longer than this (server seconds) earns nothing: the player was not heartbeating."""
        return self.gap_intervals * self.heartbeat_seconds + self.jitter

    def rate_allowed(self, rate: float) -> bool:
        """Whether ``rate`` is one of the allowed rates (float-tolerant)."""
        return any(abs(rate - r) <= RATE_TOLERANCE for r in self.allowed_rates)


@dataclass(frozen=True)
class SessionState:
    """Hot per-session state, as of the last sequenced heartbeat (times are server epoch seconds)."""

    seq: int
    last_at: float
    position: float
    playing: bool = False
    visible: bool = True
    rate: float = 1.0
    slack: float = 1.0
    idle_credit: float = 0.0
    challenge_id: str = ""
    lost: bool = False
    ended: str = ""


@dataclass(frozen=True)
class Coverage:
    """Watched intervals of one (learner, block)."""

    intervals: Intervals = ()
    frontier: float = 0.0
    last_position: float = 0.0
    completed: bool = False


@dataclass(frozen=True)
class Beat:
    """One heartbeat as received: the client's claims plus the server's receive time ``at``."""

    seq: int
    position: float
    playing: bool
    visible: bool
    rate: float
    event: str
    at: float


@dataclass(frozen=True)
class Outcome:
    """The verdict on one heartbeat and the state to store."""

    credited: float
    reason: str | None
    position: float
    state: SessionState
    coverage: Coverage
    segment: Interval | None = None
    challenge_issued: bool = False
    completed_now: bool = False
    barriers: Barriers = NO_BARRIERS
    learner: LearnerBudget = NO_LEARNER

    @property
    def accepted(self) -> bool:
        """A beat is accepted when no rule refused it (it may still earn zero, e.g. re-watching)."""
        return self.reason is None

    @property
    def changed(self) -> bool:
        """Replays and beats of a dead session leave the stored state untouched."""
        return self.reason not in (REPLAY, LEASE_LOST, SESSION_ENDED)


def coverage_ratio(cov: Coverage, duration: float) -> float:
    """Watched share of the video in [0, 1]."""
    return min(1.0, measure(cov.intervals) / duration) if duration > 0 else 0.0


def _refusal(
    reason: str,
    rules: Rules,
    state: SessionState,
    cov: Coverage,
    beat: Beat,
    elapsed: float,
    learner: LearnerBudget,
    barriers: Barriers = NO_BARRIERS,
) -> Outcome:
    """A sequenced beat that earns nothing: unused time refills the jitter banks, position is clamped.

    A challenge pending for the learner (issued in another session) is adopted, so this session's
    reply carries it and the learner can answer it here.
    """
    position = min(max(beat.position, 0.0), cov.frontier, rules.duration, barriers.ceiling)
    new_state = replace(
        state,
        seq=beat.seq,
        last_at=beat.at,
        position=position,
        playing=beat.playing,
        visible=beat.visible,
        rate=beat.rate,
        slack=min(rules.jitter, state.slack + elapsed * rules.max_rate),
        challenge_id=learner.pending(state.challenge_id),
    )
    spent = _spend(rules, state, beat, learner, 0.0)
    new_cov = replace(cov, last_position=position)
    return Outcome(0.0, reason, position, new_state, new_cov, barriers=barriers, learner=spent)


def _spend(
    rules: Rules, state: SessionState, beat: Beat, learner: LearnerBudget, gain: float
) -> LearnerBudget:
    """The learner's budget after this session's beat earned ``gain``."""
    at, rate = beat.at, rules.max_rate
    return learner.spend(last_at=state.last_at, now=at, rate=rate, jitter=rules.jitter, gain=gain)


def _first_refusal(
    rules: Rules,
    state: SessionState,
    beat: Beat,
    elapsed: float,
    on_hold: bool,
    barriers: Barriers,
    challenge: str,
    media_seen: bool = True,
) -> str | None:
    """The reason a playing segment cannot earn credit whatever the positions say, in priority order."""
    if on_hold:
        return HOLD
    if not media_seen:
        return NO_MEDIA
    if challenge:
        return CHALLENGE_PENDING
    if barriers.due is not None:
        return CHECKPOINT_PENDING
    if not (state.visible and state.playing):
        # An idle segment claims nothing unless the position moved on: then it is refused as such.
        if beat.position > state.position + IDLE_DRIFT:
            return HIDDEN if not state.visible else PAUSED
        return None
    if elapsed > rules.gap_limit:
        return GAP
    if not (rules.rate_allowed(state.rate) and rules.rate_allowed(beat.rate)):
        return SPEED
    return None


def judge(
    rules: Rules,
    state: SessionState,
    cov: Coverage,
    beat: Beat,
    *,
    lease_held: bool,
    challenge_id: str = "",
    on_hold: bool = False,
    barriers: Barriers = NO_BARRIERS,
    learner: LearnerBudget | None = None,
    media_seen: bool = True,
    delivered_until: float = math.inf,
) -> Outcome:
    """Decide the credit of ``beat`` given the session's state and the learner's coverage.

    Arguments:
        rules: the video's policy and tolerances.
        state: session state as of the previous sequenced beat.
        cov: the learner's coverage of this block.
        beat: the heartbeat, with the server receive time.
        lease_held: whether this session holds (or may take back) the learner's playback lease.
        challenge_id: id to issue if this beat crosses the anti-idle threshold.
        on_hold: another app holds the learner's crediting (a face check is due, say).
        barriers: the learner's unpassed quiz checkpoints in this block.
        media_seen: the media server delivered this video to the session (or no proof is required).
        delivered_until: how far from the session's position the media delivered to it reaches
            (``delivery.reach``); a forward segment beyond it earns nothing (``not_delivered``).
        learner: the learner's budget shared by all sessions (``budget.py``); without one, the
            session is its own learner (the per-session rule alone).

    Returns:
        The verdict; ``state``/``coverage``/``learner`` are what to store when ``changed``.
    """
    if learner is None:
        learner = LearnerBudget(clock=state.last_at, slack=state.slack, idle_credit=state.idle_credit)
    if state.ended:
        return Outcome(0.0, SESSION_ENDED, state.position, state, cov, barriers=barriers, learner=learner)
    if beat.seq <= state.seq:
        return Outcome(0.0, REPLAY, state.position, state, cov, barriers=barriers, learner=learner)
    if state.lost or not lease_held:
        lost = replace(state, lost=True)
        return Outcome(0.0, LEASE_LOST, state.position, lost, cov, barriers=barriers, learner=learner)
    elapsed = max(0.0, beat.at - state.last_at)
    ceiling = min(rules.duration, barriers.ceiling)
    pending = learner.pending(state.challenge_id)
    reason = _first_refusal(rules, state, beat, elapsed, on_hold, barriers, pending, media_seen)
    if reason:
        return _refusal(reason, rules, state, cov, beat, elapsed, learner, barriers)

    def settle(out: Outcome, played: bool) -> Outcome:
        return _settle(rules, out, barriers, state.position, elapsed, played)

    if not (state.visible and state.playing):  # paused or hidden and not moving on: nothing to judge
        target = min(max(beat.position, 0.0), cov.frontier, ceiling)
        return settle(_moved(rules, state, cov, beat, target, elapsed, learner), False)
    reported = min(max(beat.position, 0.0), rules.duration)
    allowance = elapsed * rules.max_rate + state.slack
    if reported > cov.frontier + allowance + rules.seek_tolerance:
        if not (cov.completed and rules.free_seek_after_complete):
            return _refusal(SEEK, rules, state, cov, beat, elapsed, learner, barriers)
        # a free seek after completion, still not past an unpassed checkpoint
        return settle(_moved(rules, state, cov, beat, min(reported, ceiling), elapsed, learner), False)
    target = min(reported, ceiling)
    if target > delivered_until and target > state.position:
        return _refusal(NOT_DELIVERED, rules, state, cov, beat, elapsed, learner, barriers)
    if target <= state.position:
        return settle(_moved(rules, state, cov, beat, target, elapsed, learner), True)  # backward: no credit
    # The seek test above trusts the session's own allowance; credit is also capped by the learner's.
    budget = min(allowance, learner.allowance(state.last_at, beat.at, rules.max_rate))
    gain, stop = extend(cov.intervals, state.position, target, max(0.0, budget))
    # A small overshoot (network jitter, a 5 s key step) is clipped to the allowance, not refused.
    return settle(_credited(rules, state, cov, beat, (gain, stop), elapsed, learner, challenge_id), True)


def _settle(
    rules: Rules, out: Outcome, barriers: Barriers, start: float, elapsed: float, played: bool
) -> Outcome:
    """Move the barriers on (re-watch, due) and decide completion, which waits for every barrier."""
    moved = after_move(barriers, start, out.position, elapsed, rules.max_rate, played)
    cov = out.coverage
    completed_now = (
        not cov.completed
        and not moved.times
        and coverage_ratio(cov, rules.duration) >= rules.completion_coverage - 1e-9
    )
    if completed_now:
        cov = replace(cov, completed=True)
    return replace(out, coverage=cov, completed_now=completed_now, barriers=moved)


def _moved(
    rules: Rules,
    state: SessionState,
    cov: Coverage,
    beat: Beat,
    target: float,
    elapsed: float,
    learner: LearnerBudget,
) -> Outcome:
    """An accepted beat with no credit: the position moves, coverage does not."""
    outcome = _refusal("", rules, state, cov, beat, elapsed, learner)
    new_state = replace(outcome.state, position=target)
    return replace(
        outcome, reason=None, position=target, state=new_state, coverage=replace(cov, last_position=target)
    )


def _credited(
    rules: Rules,
    state: SessionState,
    cov: Coverage,
    beat: Beat,
    walk: tuple[float, float],
    elapsed: float,
    learner: LearnerBudget,
    challenge_id: str,
) -> Outcome:
    """An accepted forward segment: merge it, credit its new coverage, maybe issue a challenge.

    ``walk`` is ``(gain, stop)`` from ``extend``. The anti-idle count is the learner's, across
    sessions, so a new session does not reset it. Completion is decided afterwards, in ``_settle``.
    """
    gain, stop = walk
    intervals = merge((*cov.intervals, (state.position, stop)))
    new_cov = Coverage(intervals, max(cov.frontier, stop), stop, cov.completed)
    spent = _spend(rules, state, beat, learner, gain)
    idle = spent.idle_credit
    issue = bool(rules.anti_idle_seconds > 0 and idle >= rules.anti_idle_seconds and challenge_id)
    if issue:
        spent = replace(spent, idle_credit=0.0, challenge_id=challenge_id)
    new_state = replace(
        state,
        seq=beat.seq,
        last_at=beat.at,
        position=stop,
        playing=beat.playing,
        visible=beat.visible,
        rate=beat.rate,
        slack=min(rules.jitter, state.slack + elapsed * rules.max_rate - gain),
        idle_credit=0.0 if issue else idle,
        challenge_id=challenge_id if issue else "",
    )
    return Outcome(gain, None, stop, new_state, new_cov, (state.position, stop), issue, learner=spent)


def is_finite_number(value: object) -> TypeGuard[float]:
    """True for real numbers that JSON may carry (bools and NaN/inf are not positions or rates)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
