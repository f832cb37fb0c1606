"""Crediting a live lesson: attendance by the server clock, inside the stream's on-air intervals.

A live session has no seekable media: the page cannot choose what it watches, only whether it
watches. So the position of a live beat is never the page's; it is the server's receive time on
the lesson's timeline (seconds since ``Rules.live_origin``). The segment between two beats is
judged like a video's (the previous beat's playing/visible state, the gap limit, holds, the
"still there?" challenge, the lease, the learner's budget), and then only its parts that lie in
an on-air interval reported by the provider's callbacks earn credit. Attended stretches are kept
as the learner's coverage of the block, so two tabs or a reload never earn the same minute twice
(ADR 0351). There is no completion here: the block decides attendance from credited time.

Pure: no Django and no Redis (the heartbeat path feeds it the on-air intervals it read).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from .barriers import NO_BARRIERS
from .budget import LearnerBudget
from .crediting import _first_refusal, _refusal, earned
from .intervals import Interval, Intervals, measure, merge, uncovered
from .values import LEASE_LOST, OFF_AIR, REPLAY, SESSION_ENDED, Beat, Coverage, Outcome, Rules, SessionState


def timeline(on_air: Iterable[tuple[float, float | None]], origin: float, now: float) -> Intervals:
    """On-air epoch intervals as a merged set on the lesson's timeline (an open interval ends now)."""
    return merge((s - origin, (now if e is None else e) - origin) for s, e in on_air)


def _clip(intervals: Intervals, start: float, end: float) -> Intervals:
    return tuple((max(s, start), min(e, end)) for s, e in intervals if e > start and s < end)


def _spendable(pieces: Intervals, budget: float) -> Intervals:
    """The first ``budget`` seconds of ``pieces`` (a beat never earns more than the budget allows)."""
    kept: list[Interval] = []
    for s, e in pieces:
        if budget <= 0:
            break
        kept.append((s, min(e, s + budget)))
        budget -= e - s
    return tuple(kept)


def judge_live(
    rules: Rules,
    state: SessionState,
    cov: Coverage,
    beat: Beat,
    *,
    lease_held: bool,
    on_air: Intervals,
    challenge_id: str = "",
    on_hold: bool = False,
    learner: LearnerBudget | None = None,
) -> Outcome:
    """Decide the credit of a live ``beat``; ``on_air`` is ``timeline(...)`` of the block's stream."""
    if learner is None:
        learner = LearnerBudget(clock=state.last_at, slack=state.slack, idle_credit=state.idle_credit)
    if state.ended:
        return Outcome(0.0, SESSION_ENDED, state.position, state, cov, learner=learner)
    if beat.seq <= state.seq:
        return Outcome(0.0, REPLAY, state.position, state, cov, learner=learner)
    if state.lost or not lease_held:
        return Outcome(0.0, LEASE_LOST, state.position, replace(state, lost=True), cov, learner=learner)
    here = min(max(beat.at - rules.live_origin, 0.0), rules.duration)
    beat = replace(beat, position=here)  # the server's clock, never the page's claim
    elapsed = max(0.0, beat.at - state.last_at)
    # Positions are the server's, so the "moved while paused" rule of videos does not apply.
    idle = not (state.visible and state.playing)
    pending = learner.pending(state.challenge_id)
    reason = None if idle else _first_refusal(rules, state, beat, elapsed, on_hold, NO_BARRIERS, pending)
    if idle or reason:  # earns nothing; an idle segment (paused, hidden) is still an accepted beat
        return _kept(_refusal(reason or "", rules, state, cov, beat, elapsed, learner), here, reason)
    start = min(max(state.last_at - rules.live_origin, 0.0), rules.duration)
    aired = _clip(on_air, start, here)
    if not aired:
        return _kept(_refusal(OFF_AIR, rules, state, cov, beat, elapsed, learner), here, OFF_AIR)
    allowance = learner.allowance(state.last_at, beat.at, rules.max_rate)
    budget = min(elapsed * rules.max_rate + state.slack, allowance)
    new = tuple(g for s, e in aired for g in uncovered(cov.intervals, s, e))
    pieces = _spendable(new, max(0.0, budget))
    gain = measure(pieces)
    new_state, spent, issue = earned(rules, state, beat, elapsed, learner, (gain, here), challenge_id)
    new_cov = Coverage(merge((*cov.intervals, *pieces)), max(cov.frontier, here), here, cov.completed)
    segment = (pieces[0][0], pieces[-1][1]) if pieces else None
    return Outcome(gain, None, here, new_state, new_cov, segment, issue, learner=spent)


def _kept(out: Outcome, here: float, reason: str | None) -> Outcome:
    """A refused or idle live beat still moves the session to the server's time (nothing credited)."""
    return replace(
        out,
        reason=reason,
        position=here,
        state=replace(out.state, position=here),
        coverage=replace(out.coverage, last_position=here),
    )
