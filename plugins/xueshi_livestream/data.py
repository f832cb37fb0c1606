"""Plain data of ``xueshi_livestream``'s API (OEP-49 ``data.py``): no models cross the boundary."""

from __future__ import annotations

from dataclasses import dataclass

BEFORE, ON_AIR, PAUSED, AFTER = "before", "on_air", "paused", "after"


@dataclass(frozen=True)
class LiveState:
    """A live lesson as the block shows it at ``now`` (epoch seconds throughout)."""

    stream: str
    starts_at: float
    ends_at: float
    phase: str  # BEFORE the start, ON_AIR (pushing), PAUSED (in the slot, not pushing), AFTER
    on_air: tuple[tuple[float, float | None], ...]
    recording_asset: str = ""

    def aired_seconds(self, now: float) -> float:
        """Seconds the stream has been on air up to ``now``."""
        return sum(max(0.0, min(now, end or now) - start) for start, end in self.on_air)
