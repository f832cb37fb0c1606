"""Pure rules of the practice block: rounds, exam deadlines, scores and author settings.

No XBlock or Django here, so the rules are unit-tested directly. A *round* is one set of drawn
questions a learner works through; it lives in the learner's block state and records the server
times that decide what counts.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

PRACTICE, EXAM = "practice", "exam"
MODES = (PRACTICE, EXAM)
SOURCE_DRAW, SOURCE_WRONG_BOOK = "draw", "wrong_book"
#: Seconds after the deadline during which a submission in flight still counts (network latency).
GRACE_SECONDS = 5.0
MAX_QUESTIONS = 100
MAX_MINUTES = 600


def new_round(
    kind: str, version_ids: Sequence[int], now: float, time_limit_minutes: float = 0
) -> dict[str, Any]:
    """A fresh round; exam rounds carry the server's start time and deadline."""
    deadline = now + time_limit_minutes * 60 if kind == EXAM and time_limit_minutes > 0 else None
    return {
        "id": secrets.token_hex(8),
        "kind": kind,
        "seed": secrets.token_hex(8),
        "versions": [int(v) for v in version_ids],
        "answers": {},
        "results": {},
        "started": now,
        "deadline": deadline,
        "submitted": False,
        "submitted_at": None,
        "late": False,
    }


def remaining_seconds(round_: dict[str, Any], now: float) -> float | None:
    """Seconds left before the deadline (None without one, never negative)."""
    deadline = round_.get("deadline")
    return None if deadline is None else max(0.0, float(deadline) - now)


def is_overdue(round_: dict[str, Any], now: float) -> bool:
    """Past the deadline and its grace: answers are no longer taken."""
    deadline = round_.get("deadline")
    return deadline is not None and now > float(deadline) + GRACE_SECONDS


def is_finished(round_: dict[str, Any]) -> bool:
    """A practice round is finished when every question is answered; an exam when submitted."""
    if round_.get("kind") == EXAM:
        return bool(round_.get("submitted"))
    return len(round_.get("results", {})) >= len(round_.get("versions", []))


@dataclass(frozen=True)
class Score:
    """An exam's result."""

    correct: int
    total: int
    pass_percent: int

    @property
    def percent(self) -> float:
        """Share right, in percent (0 for an empty exam)."""
        return 100.0 * self.correct / self.total if self.total else 0.0

    @property
    def passed(self) -> bool:
        """At or above the pass mark."""
        return self.total > 0 and self.percent + 1e-9 >= self.pass_percent

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "correct": self.correct,
            "total": self.total,
            "percent": round(self.percent, 1),
            "passed": self.passed,
            "pass_percent": self.pass_percent,
        }


def score(results: dict[str, bool], total: int, pass_percent: int) -> Score:
    """Count right answers over all questions of the round (unanswered ones are wrong)."""
    return Score(sum(1 for v in results.values() if v), total, pass_percent)


def attempts_left(max_attempts: int, used: int) -> int | None:
    """Exam attempts left (None = unlimited)."""
    return None if max_attempts <= 0 else max(0, max_attempts - used)


def _int(value: Any, low: int, high: int) -> int:
    number = float(value)
    if not math.isfinite(number) or number != int(number) or not low <= number <= high:
        raise ValueError
    return int(number)


def _strings(value: Any) -> list[str]:
    items = value.split("\n") if isinstance(value, str) else list(value or [])
    return [str(v).strip()[:128] for v in items if str(v).strip()]


def validate_edits(
    values: dict[str, Any], gettext: Callable[[str], str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Check the Studio form; return clean field values and per-field errors (in the author's language)."""
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    title = str(values.get("display_name", "")).strip()
    if not title or len(title) > 255:
        errors["display_name"] = gettext("Enter a title of at most 255 characters.")
    clean["display_name"] = title
    mode = values.get("mode", PRACTICE)
    if mode not in MODES:
        errors["mode"] = gettext("Choose practice or mock exam.")
    clean["mode"] = mode
    clean["trades"] = _strings(values.get("trades"))
    clean["knowledge_points"] = _strings(values.get("knowledge_points"))
    try:
        clean["difficulties"] = sorted({_int(v, 1, 3) for v in values.get("difficulties") or []})
    except (TypeError, ValueError):
        errors["difficulties"] = gettext("Difficulty must be 1, 2 or 3.")
    checks: tuple[tuple[str, int, int, str], ...] = (
        ("question_count", 1, MAX_QUESTIONS, gettext("Enter a number of questions from 1 to 100.")),
        ("time_limit_minutes", 0, MAX_MINUTES, gettext("Enter a time limit from 0 to 600 minutes.")),
        ("pass_percent", 0, 100, gettext("Enter a pass mark from 0 to 100.")),
        ("max_attempts", 0, 100, gettext("Enter a number of attempts from 0 (unlimited) to 100.")),
    )
    for name, low, high, message in checks:
        try:
            clean[name] = _int(values.get(name), low, high)
        except (TypeError, ValueError):
            errors[name] = message
    if clean.get("mode") == EXAM and clean.get("time_limit_minutes") == 0:
        errors["time_limit_minutes"] = gettext("A mock exam needs a time limit.")
    try:
        weight = float(values.get("weight", 1))
        if not math.isfinite(weight) or not 0 <= weight <= 100:
            raise ValueError
        clean["weight"] = weight
    except (TypeError, ValueError):
        errors["weight"] = gettext("Enter a grading weight from 0 to 100.")
    clean["show_explanations"] = bool(values.get("show_explanations", True))
    return clean, errors
