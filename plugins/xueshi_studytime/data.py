"""Plain data types of the study-time ledger's public API (OEP-49 ``data.py``).

These frozen dataclasses are what ``api.py`` accepts and returns, so callers (the ``xueshi_video``
block, reports, hours rules) never touch models or Redis structures.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class VideoPolicy:
    """The rules one video imposes, set by the block from its server-side fields at session open."""

    duration: float
    allowed_rates: tuple[float, ...] = (1.0,)
    completion_coverage: float = 0.95
    anti_idle_seconds: float = 900
    heartbeat_seconds: float = 30
    free_seek_after_complete: bool = False
    #: Epoch seconds where a live lesson's timeline starts; 0 for a recorded video. A live session
    #: is credited by the server clock inside the stream's on-air intervals, never by positions
    #: the page reports (``livecredit.py``, ADR 0351).
    live_origin: float = 0.0

    def __post_init__(self) -> None:
        """Refuse a policy the crediting rule cannot honour, at the block boundary rather than per beat."""
        if not (math.isfinite(self.duration) and self.duration > 0):
            raise ValueError("duration must be a positive number of seconds")
        if not self.allowed_rates or any(not (math.isfinite(r) and 0 < r <= 4) for r in self.allowed_rates):
            raise ValueError("allowed_rates must be a non-empty tuple of rates in (0, 4]")
        if not 0 < self.completion_coverage <= 1:
            raise ValueError("completion_coverage must be in (0, 1]")
        if self.anti_idle_seconds < 0 or self.heartbeat_seconds < 1:
            raise ValueError("anti_idle_seconds must be >= 0 and heartbeat_seconds >= 1")
        if not (math.isfinite(self.live_origin) and self.live_origin >= 0):
            raise ValueError("live_origin must be epoch seconds (0 for a recorded video)")

    @property
    def max_rate(self) -> float:
        """The fastest allowed rate: media seconds creditable per second of server time."""
        return max(self.allowed_rates)


@dataclass(frozen=True)
class SessionGrant:
    """What the player needs to start heartbeating: a capability token and the server's view of progress."""

    session_id: str
    token: str
    heartbeat_url: str
    challenge_url: str
    heartbeat_seconds: int
    resume_position: float
    frontier: float
    coverage: float
    watched_seconds: float
    credited_today_seconds: int
    duration: float
    completed: bool
    replaced_session: bool
    holds: tuple[dict[str, Any], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready dict for the player's init payload."""
        return asdict(self)


@dataclass(frozen=True)
class Progress:
    """A learner's watched intervals and position in one block, as the server recorded them."""

    watched_seconds: float
    coverage: float
    frontier: float
    last_position: float
    completed: bool
    intervals: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class DaySeconds:
    """Credited seconds on one China day."""

    day: date
    seconds: int


@dataclass(frozen=True)
class StudySummary:
    """A learner's credited study time in one course over a day, week or month (China days)."""

    user_id: int
    course_key: str
    period: str
    start: date
    end: date
    total_seconds: int
    days: tuple[DaySeconds, ...]
    blocks: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready dict (dates as ISO strings)."""
        return {
            "user_id": self.user_id,
            "course_id": self.course_key,
            "period": self.period,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "total_seconds": self.total_seconds,
            "days": [{"day": d.day.isoformat(), "seconds": d.seconds} for d in self.days],
            "blocks": [{"usage_id": k, "seconds": v} for k, v in sorted(self.blocks.items())],
        }


@dataclass(frozen=True)
class BarrierState:
    """A learner's checkpoint barriers in one block, as the ledger enforces them.

    ``times`` are the unpassed barriers (ascending); nothing is credited past the first. ``due`` is
    the barrier the learner has reached and must now pass (answer); ``rewatch_from`` is set after a
    wrong answer sent the learner back, and ``rewatched_to`` says how far the span has been played
    again (the barrier falls due again only once it reaches the barrier).
    """

    times: tuple[float, ...] = ()
    due: float | None = None
    rewatch_from: float | None = None
    rewatched_to: float | None = None

    @property
    def next(self) -> float | None:
        """The earliest unpassed barrier."""
        return self.times[0] if self.times else None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready dict for the player."""
        return {
            "times": list(self.times),
            "next": self.next,
            "due": self.due,
            "rewatch_from": self.rewatch_from,
            "rewatched_to": self.rewatched_to,
        }


@dataclass(frozen=True)
class Hold:
    """A stop on crediting placed by another app; the player shows ``url`` so the learner can clear it."""

    kind: str
    url: str
    not_before: float
    reason: str = ""
    #: Empty: every course; else only study in this course is held (a class awaiting approval).
    course_key: str = ""

    def applies_to(self, course_key: str) -> bool:
        """Whether the hold stops crediting in ``course_key``."""
        return not self.course_key or self.course_key == course_key

    def as_dict(self) -> dict[str, Any]:
        """What the player receives (the reason is for staff, not the browser)."""
        return {"kind": self.kind, "url": self.url, "not_before": self.not_before}
