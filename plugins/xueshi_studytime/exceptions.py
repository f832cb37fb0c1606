"""Exceptions of the study-time ledger; each carries a stable ``reason_code`` for clients and logs."""

from __future__ import annotations


class StudyTimeError(Exception):
    """Base class: a refusal the caller can show or map to an HTTP status."""

    reason_code = "error"

    def __init__(self, message: str = "", reason_code: str | None = None) -> None:
        super().__init__(message or self.reason_code)
        if reason_code:
            self.reason_code = reason_code


class LeaseRefused(StudyTimeError):
    """Another playback of this account holds the lease and the policy is ``refuse``."""

    reason_code = "lease_busy"


class SessionsThrottled(StudyTimeError):
    """The learner opened sessions faster than the throttle allows; ``retry_after`` is in seconds."""

    reason_code = "too_many_sessions"

    def __init__(self, message: str = "", retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TokenInvalid(StudyTimeError):
    """A session token that is forged, tampered with, malformed or expired."""

    reason_code = "token_invalid"
