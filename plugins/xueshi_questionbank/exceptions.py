"""Errors of the question bank's API; views turn each into a clear 4xx."""

from __future__ import annotations

from .data import InvalidAnswer, InvalidQuestion

__all__ = ["AttemptConflict", "ImportRefused", "InvalidAnswer", "InvalidQuestion", "QuestionNotFound"]


class QuestionNotFound(LookupError):
    """No question version (or question) with that id."""


class AttemptConflict(ValueError):
    """The idempotency key was already used for a different learner or question."""


class ImportRefused(ValueError):
    """A file the importer will not read at all (too large, not a spreadsheet, no header row)."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status
