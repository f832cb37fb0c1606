"""What every channel answers: a provider message id, or a transient or permanent failure.

The sender (``sending.py``) retries a ``Transient`` with backoff and gives up on a ``Permanent``;
channels only translate their provider's answers into these two.
"""

from __future__ import annotations

from dataclasses import dataclass


class SendError(Exception):
    """The provider did not take the message; ``code`` is theirs (or ours), ``message`` says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code, self.message = code, message


class Transient(SendError):
    """Worth another try later: rate limits, timeouts, the provider's own errors, a network break."""


class Permanent(SendError):
    """Another try would fail the same way: a bad number, a refused template, missing settings."""


@dataclass(frozen=True)
class Message:
    """What a channel sends: the rendered texts and the kind's values (SMS and WeChat send values)."""

    kind: str
    subject: str
    body: str
    values: dict[str, str]
    language: str
    reference: str  # our stable id of the delivery (the provider's OutId / SessionContext)


def classify(code: str, message: str, transient_prefixes: tuple[str, ...]) -> SendError:
    """A ``Transient`` if ``code`` starts with one of the prefixes, else a ``Permanent``."""
    if code.startswith(transient_prefixes):
        return Transient(code, message)
    return Permanent(code, message)
