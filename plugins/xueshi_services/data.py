"""Plain data types of ``xueshi_services`` (no Django): what ``api.py`` returns to other apps."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RatingStats:
    """Published ratings of one course: how many, the mean, and the count per star (1 to 5)."""

    course_key: str
    count: int = 0
    average: float = 0.0
    distribution: dict[int, int] = field(default_factory=lambda: dict.fromkeys(range(1, 6), 0))

    @property
    def percents(self) -> dict[int, int]:
        """Share of each star value in whole percent (0 when there are no ratings)."""
        return {s: (100 * n // self.count if self.count else 0) for s, n in self.distribution.items()}


@dataclass(frozen=True)
class TicketCounts:
    """Tickets of one kind created in a period, by state, and how many are overdue now."""

    kind: str
    total: int
    by_state: dict[str, int]
    overdue: int


@dataclass(frozen=True)
class QuestionView:
    """A question as a page or an XBlock shows it: options as ``(id, label)``, ``scale_max`` for scales."""

    id: int
    position: int
    kind: str
    text: str
    required: bool
    options: tuple[tuple[int, str], ...] = ()
    scale_max: int = 0

    @property
    def scale_range(self) -> range:
        """The values a scale question offers (empty for other kinds)."""
        return range(1, self.scale_max + 1)


@dataclass(frozen=True)
class QuestionnaireView:
    """A published or closed questionnaire, for the course block (``api.questionnaire``)."""

    slug: str
    title: str
    description: str
    anonymous: bool
    is_open: bool
    questions: tuple[QuestionView, ...]
