"""Public Python API of ``xueshi_services``: course rating figures and ticket counts for other apps.

Statistics and reporting read these (never our models); notifications subscribe to ``signals``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.utils import timezone

from xueshi_core.days import day_bounds

from . import ratings
from .data import RatingStats, TicketCounts
from .models import Ticket
from .signals import RATING_CHANGED, TICKET_ANSWERED, TICKET_CREATED, TICKET_STATE_CHANGED

__all__ = [
    "RATING_CHANGED",
    "TICKET_ANSWERED",
    "TICKET_CREATED",
    "TICKET_STATE_CHANGED",
    "RatingStats",
    "TicketCounts",
    "rating_stats",
    "ratings_for",
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
