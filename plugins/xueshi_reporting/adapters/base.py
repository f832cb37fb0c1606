"""What every adapter takes and returns: a batch out, per-key outcomes back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

STORED, DUPLICATE, REJECTED = "stored", "duplicate", "rejected"


@dataclass(frozen=True)
class Outcome:
    """What the destination said about one record (by idempotency key)."""

    status: str  # stored | duplicate | rejected
    reason: str = ""


@dataclass
class Answer:
    """The result of one push: ``outcomes`` only when the answer was trustworthy (verified, ours)."""

    outcome: str  # answered | timeout | refused | forged | error
    http_status: int | None = None
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    detail: str = ""
    raw: str = ""


class Adapter:
    """Pushes one batch; implementations never raise for the receiver's faults, they answer them."""

    def push(self, destination: Any, batch: str, records: list[dict[str, Any]]) -> Answer:  # pragma: no cover
        """Send ``records`` as batch ``batch``; answer what the destination said about each key."""
        raise NotImplementedError
