"""Public Python API of ``xueshi_services``: rating figures, ticket counts, questionnaires (for the block).

Statistics and reporting read these (never our models); notifications subscribe to ``signals``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.utils import timezone

from xueshi_core.days import day_bounds
from xueshi_core.jsonbody import BadInput

from . import ratings
from .data import QuestionnaireView, QuestionView, RatingStats, TicketCounts
from .models import Questionnaire, Ticket
from .signals import RATING_CHANGED, TICKET_ANSWERED, TICKET_CREATED, TICKET_STATE_CHANGED

__all__ = [
    "RATING_CHANGED",
    "TICKET_ANSWERED",
    "TICKET_CREATED",
    "TICKET_STATE_CHANGED",
    "QuestionView",
    "QuestionnaireView",
    "RatingStats",
    "TicketCounts",
    "has_answered",
    "questionnaire",
    "questionnaire_choices",
    "rating_stats",
    "ratings_for",
    "refusal_message",
    "submit_answers",
    "ticket_counts",
]


def rating_stats(course_key: str) -> RatingStats:
    """Published ratings of one course: count, mean stars, count per star."""
    return ratings.stats_for([course_key])[str(course_key)]


def ratings_for(course_keys: Iterable[str]) -> dict[str, RatingStats]:
    """``rating_stats`` of many courses in two queries (every key present, zero when unrated)."""
    return ratings.stats_for([str(k) for k in course_keys])


def ticket_counts(kind: str, start: date, end: date) -> TicketCounts:
    """Tickets of ``kind`` created on China days ``start``..``end``: total, per state, overdue now.

    For the yearly review (需求 002: 投诉处理及统计): complaints counted per month, quarter or year.
    """
    if kind not in Ticket.KINDS:
        raise ValueError(f"kind must be one of {list(Ticket.KINDS)}")
    since, until = day_bounds(start)[0], day_bounds(end)[1]
    rows = Ticket.objects.filter(kind=kind, created_at__gte=since, created_at__lt=until)
    by_state = dict.fromkeys((s for s in Ticket.STATES if _belongs(kind, s)), 0)
    for state in rows.values_list("state", flat=True):
        by_state[state] = by_state.get(state, 0) + 1
    overdue = rows.filter(state__in=Ticket.WAITING_FOR_STAFF, due_at__lt=timezone.now()).count()
    return TicketCounts(kind=kind, total=sum(by_state.values()), by_state=by_state, overdue=overdue)


def _belongs(kind: str, state: str) -> bool:
    from .tickets import TRANSITIONS

    return state in TRANSITIONS[kind]


# -- questionnaires, for the xueshi_questionnaire XBlock (ADR 0313) ---------------------------------
def questionnaire_choices() -> list[tuple[str, str]]:
    """``(slug, title)`` of questionnaires a course author may place (not drafts), newest first."""
    rows = Questionnaire.objects.exclude(state=Questionnaire.DRAFT).values_list("slug", "title")
    return [(slug, title) for slug, title in rows[:200]]


def questionnaire(slug: str) -> QuestionnaireView | None:
    """The questionnaire behind a short-link code, or ``None`` (unknown, or still a draft)."""
    from . import questionnaire_answers as answering

    try:
        row = answering.find(slug)
        answering.check_open(row)
        is_open = True
    except BadInput as exc:
        if exc.code == "no_such_questionnaire":
            return None
        is_open = False
    questions = tuple(
        QuestionView(
            q.pk,
            q.position,
            q.kind,
            q.text,
            q.required,
            tuple((o.pk, o.label) for o in q.options.all()),
            q.scale_max,
        )
        for q in row.questions.prefetch_related("options")
    )
    return QuestionnaireView(row.slug, row.title, row.description, row.anonymous, is_open, questions)


def _user(user_id: int) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk=user_id, is_active=True).first()


def has_answered(slug: str, user_id: int) -> bool:
    """Whether the learner's one answer to this questionnaire is in."""
    from .models import Participation

    return Participation.objects.filter(questionnaire__slug=str(slug)[:12], user_id=user_id).exists()


def submit_answers(slug: str, user_id: int, answers: Any, via: str) -> None:
    """Record the learner's answers (``{question id: option id(s), number or text}``); raises ``BadInput``."""
    from . import questionnaire_answers as answering

    user = _user(user_id)
    if user is None:
        raise BadInput("sign_in_required", "sign in to answer", 401)
    answering.submit(answering.find(slug), user, answers, via)


def refusal_message(code: str) -> str:
    """The learner-facing reason for a refusal code, in the active language."""
    from .pages import REASONS

    return str(REASONS.get(code, ""))
