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
from dataclasses import replace

from .barriers import NO_BARRIERS, Barriers, after_move
from .budget import LearnerBudget

# Names imported ``as`` themselves are re-exported: callers know the rule as one module.
from .intervals import Interval as Interval
from .intervals import Intervals as Intervals
from .intervals import extend, merge
from .intervals import measure as measure
from .intervals import uncovered as uncovered
from .values import (
    CHALLENGE_PENDING,
    CHECKPOINT_PENDING,
    GAP,
    HIDDEN,
    HOLD,
    IDLE_DRIFT,
    LEASE_LOST,
    NO_MEDIA,
    NOT_DELIVERED,
    PAUSED,
    REPLAY,
    SEEK,
    SESSION_ENDED,
    SPEED,
    Beat,
    Coverage,
    Outcome,
    Rules,
    SessionState,
    coverage_ratio,
)
from .values import EVENTS as EVENTS
from .values import NO_LEARNER as NO_LEARNER
from .values import RATE_TOLERANCE as RATE_TOLERANCE
from .values import REASONS as REASONS
from .values import is_finite_number as is_finite_number


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
    new_state, spent, issue = earned(rules, state, beat, elapsed, learner, (gain, stop), challenge_id)
    return Outcome(gain, None, stop, new_state, new_cov, (state.position, stop), issue, learner=spent)


def earned(
    rules: Rules,
    state: SessionState,
    beat: Beat,
    elapsed: float,
    learner: LearnerBudget,
    walk: tuple[float, float],
    challenge_id: str,
) -> tuple[SessionState, LearnerBudget, bool]:
    """Session state and learner budget after a beat earned ``gain`` up to ``stop``; a challenge due or not.

    The anti-idle count is the learner's, across sessions (a video's or a live lesson's beats).
    """
    gain, stop = walk
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
    return new_state, spent, issue
