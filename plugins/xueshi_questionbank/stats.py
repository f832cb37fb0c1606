"""Statistics from recorded attempts: per question, per learner, per tag (trade, knowledge point, difficulty).

Everything is counted from ``Attempt`` rows in the database (grouped by SQL), never from the
browser. Tags are those of the version that was answered, so re-tagging a question later does
not rewrite history.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from . import store
from .data import CONTEXTS
from .models import Attempt
from .models import Question as QuestionRow

TAG_FIELDS = {
    "trade": "version__trade",
    "knowledge_point": "version__knowledge_point",
    "difficulty": "version__difficulty",
}


@dataclass(frozen=True)
class Line:
    """One row of a statistics table."""

    key: Any
    label: str
    answered: int
    correct: int
    learners: int

    @property
    def right_rate(self) -> float:
        """Share of answers that were right (0 when never answered)."""
        return self.correct / self.answered if self.answered else 0.0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "key": self.key,
            "label": self.label,
            "answered": self.answered,
            "correct": self.correct,
            "learners": self.learners,
            "right_rate": round(self.right_rate, 4),
        }


def _attempts(course_key: Any, context: str | None = None) -> Any:
    query = Attempt.objects.filter(course_key=store.course_key_of(course_key))
    if context in CONTEXTS:
        query = query.filter(context=context)
    return query


def _totals() -> dict[str, Any]:
    return {
        "answered": Count("id"),
        "right": Count("id", filter=Q(correct=True)),
        "people": Count("user", distinct=True),
    }


def by_question(course_key: Any, context: str | None = None, limit: int = 500) -> list[Line]:
    """Per question (all versions together), the most answered first."""
    rows = (
        _attempts(course_key, context)
        .values("question_id")
        .annotate(**_totals())
        .order_by("-answered", "question_id")[:limit]
    )
    rows = list(rows)
    questions = QuestionRow.objects.filter(id__in=[r["question_id"] for r in rows]).in_bulk()
    return [
        Line(
            str(questions[r["question_id"]].uid),
            questions[r["question_id"]].stem_search,
            r["answered"],
            r["right"],
            r["people"],
        )
        for r in rows
    ]


def for_question(row: QuestionRow) -> Line:
    """One question's figures across all courses that answered it."""
    totals = Attempt.objects.filter(question=row).aggregate(**_totals())
    return Line(str(row.uid), row.stem_search, totals["answered"], totals["right"], totals["people"])


def by_learner(course_key: Any, context: str | None = None, limit: int = 500) -> list[Line]:
    """Per learner, the most active first."""
    rows = list(
        _attempts(course_key, context)
        .values("user_id")
        .annotate(**_totals())
        .order_by("-answered", "user_id")[:limit]
    )
    names = dict(
        get_user_model().objects.filter(id__in=[r["user_id"] for r in rows]).values_list("id", "username")
    )
    return [Line(r["user_id"], names.get(r["user_id"], ""), r["answered"], r["right"], 1) for r in rows]


def by_tag(course_key: Any, tag: str, context: str | None = None) -> list[Line]:
    """Per value of one tag (``trade``, ``knowledge_point`` or ``difficulty``)."""
    if tag not in TAG_FIELDS:
        raise ValueError(f"tag must be one of {sorted(TAG_FIELDS)}")
    column = TAG_FIELDS[tag]
    rows = _attempts(course_key, context).values(column).annotate(**_totals()).order_by(column)
    return [Line(r[column], str(r[column]), r["answered"], r["right"], r["people"]) for r in rows]
