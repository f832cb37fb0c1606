"""The values the crediting rule judges and returns: reasons, rules, session state, coverage, beats.

Frozen dataclasses and constants only (no Django, no Redis), shared by the rule (``crediting.py``),
the hot-state codec (``hotstate.py``), the ledger and the API serializers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TypeGuard

from .barriers import NO_BARRIERS, Barriers
from .budget import LearnerBudget
from .data import VideoPolicy
from .intervals import Interval, Intervals, measure

REPLAY, LEASE_LOST, SESSION_ENDED = "replay", "lease_lost", "session_ended"
CHALLENGE_PENDING, CHECKPOINT_PENDING, HOLD = "challenge_pending", "checkpoint_pending", "hold"
GAP, SPEED, HIDDEN, PAUSED, SEEK = "gap", "speed", "hidden", "paused", "seek"
NO_MEDIA = "no_media"  # the media server delivered none of this video to the session (delivery.py)
NOT_DELIVERED = "not_delivered"  # the position is beyond what was delivered to the session (ADR 0053)
OFF_AIR = "off_air"  # a live lesson's segment outside every on-air interval of its stream (livecredit.py)
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
    OFF_AIR,
)
EVENTS = ("tick", "play", "pause", "seek", "hide", "show", "unload", "ended", "rate")
RATE_TOLERANCE = 1e-6
NO_LEARNER = LearnerBudget()
IDLE_DRIFT = 1.0  # seconds a paused player's reported position may differ without claiming play


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


def is_finite_number(value: object) -> TypeGuard[float]:
    """True for real numbers that JSON may carry (bools and NaN/inf are not positions or rates)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
