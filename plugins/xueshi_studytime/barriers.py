"""Checkpoint barriers: the times in a video past which a learner earns nothing until they pass.

Pure values and functions (no Django, no Redis), used by ``crediting.judge`` on every heartbeat
and by the barrier API the video block calls when a learner answers. A block hands the ledger the
learner's *unpassed* checkpoint times when a playback session opens (``api.set_barriers``); the
ledger then

- clamps every position it keeps, and so every credited segment, to the earliest unpassed
  barrier (the *ceiling*): seeking, skipping or a page whose clocks run fast cannot earn a second
  past it;
- marks the barrier ``due`` once the learner's kept position has reached it: from then on beats
  earn nothing (``checkpoint_pending``) until the block passes the barrier or rewinds it;
- after a wrong answer under the "rewind" policy, requires the span ``[rewind point, barrier]``
  to be *played again* before the barrier can fall due again. Re-watching earns no credit
  (coverage is already there), so the progress of that re-watch is tracked on its own, bounded
  by server time like credit is: a jump ahead does not count as watching.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace

#: A kept position this close below a barrier has reached it (players pause on ``timeupdate``,
#: which fires every ~250 ms, and report milliseconds).
REACH_TOLERANCE = 0.5
#: A re-watch progresses only while the kept position stays this close to what was re-watched
#: (a learner who jumps further ahead is not watching the span again).
REWATCH_GAP = 5.0


def normalize(times: Iterable[float]) -> tuple[float, ...]:
    """Finite, non-negative times rounded to the millisecond, unique and ascending."""
    return tuple(sorted({round(float(t), 3) for t in times if math.isfinite(float(t)) and t >= 0}))


def same_time(a: float | None, b: float | None) -> bool:
    """Barrier times are compared at millisecond precision."""
    return a is not None and b is not None and abs(a - b) < 5e-4


@dataclass(frozen=True)
class Barriers:
    """One learner's unpassed barriers in one block, and where they stand with the next one."""

    times: tuple[float, ...] = ()
    due: float | None = None
    rewatch_from: float | None = None
    rewatched_to: float = 0.0

    @property
    def next(self) -> float | None:
        """The earliest unpassed barrier, if any."""
        return self.times[0] if self.times else None

    @property
    def ceiling(self) -> float:
        """Nothing is kept or credited past this position (infinite without barriers)."""
        return self.times[0] if self.times else math.inf

    @property
    def rewatching(self) -> bool:
        """A wrong answer sent the learner back; the span must be played again."""
        return self.rewatch_from is not None

    @property
    def rewatch_done(self) -> bool:
        """No re-watch is required, or it has reached the barrier."""
        nxt = self.next
        return not self.rewatching or nxt is None or self.rewatched_to >= nxt - REACH_TOLERANCE


NO_BARRIERS = Barriers()


def with_times(current: Barriers, times: Iterable[float]) -> Barriers:
    """Replace the unpassed times, keeping the due or re-watch state of a barrier that is still next."""
    fresh = normalize(times)
    if not fresh:
        return Barriers()
    nxt = fresh[0]
    if same_time(current.next, nxt):
        return replace(current, times=fresh)
    return Barriers(fresh)


def after_move(
    current: Barriers, start: float, stop: float, elapsed: float, max_rate: float, played: bool
) -> Barriers:
    """The barriers after an accepted beat moved the kept position from ``start`` to ``stop``.

    ``stop`` is already clamped to the ceiling. ``played`` says the segment was playing in a
    visible page (the only kind of segment that counts as watching again).
    """
    nxt = current.next
    if nxt is None or current.due is not None:
        return current
    state = current
    if state.rewatching and played and start <= state.rewatched_to + REWATCH_GAP:
        # Measured from what was re-watched, not from where the page says it is: however often a
        # script beats, the span advances by at most the server time that passed, times the rate.
        reach = min(stop, state.rewatched_to + max(0.0, elapsed) * max_rate)
        state = replace(state, rewatched_to=max(state.rewatched_to, reach))
    if stop >= nxt - REACH_TOLERANCE and state.rewatch_done:
        state = replace(state, due=nxt, rewatch_from=None, rewatched_to=0.0)
    return state


def passed(current: Barriers, at: float) -> Barriers | None:
    """The barriers once the due barrier ``at`` is passed; ``None`` when it is not the one due."""
    if not same_time(current.due, at):
        return None
    return Barriers(tuple(t for t in current.times if not same_time(t, at)))


def rewound(current: Barriers, at: float, to: float) -> Barriers | None:
    """After a wrong answer at the due barrier ``at``: play ``[to, at]`` again before it falls due again."""
    if not same_time(current.due, at):
        return None
    start = round(min(max(0.0, float(to)), at), 3)
    return replace(current, due=None, rewatch_from=start, rewatched_to=start)
