"""Account retirement (ADR 0060): what a learner wrote goes; the facts the yearly review counts stay.

A rating keeps its stars (the course's figures must not jump when an account closes) and loses its
comment; a ticket keeps its kind, state and times (complaints are counted per period) and loses
its subject and every message (staff answers quote the learner); a real-name questionnaire answer
keeps its choices and numbers and loses its text (anonymous ones cannot be found: ADR 0310). Connected to
``xueshi_core.retirement.ACCOUNT_RETIRING`` by ``plugin_app``; idempotent.
"""

from __future__ import annotations

from typing import Any

from .models import Answer, CourseRating, Ticket, TicketMessage

ERASED = "—"


def retire_account(sender: Any, retiree: Any, **kwargs: Any) -> None:
    """Blank the retiree's rating comments, ticket subjects and messages, real-name questionnaire texts."""
    CourseRating.objects.filter(user_id=retiree.user_id).exclude(comment="").update(comment="")
    Ticket.objects.filter(user_id=retiree.user_id).exclude(subject=ERASED).update(subject=ERASED)
    TicketMessage.objects.filter(ticket__user_id=retiree.user_id).exclude(body=ERASED).update(body=ERASED)
    Answer.objects.filter(response__user_id=retiree.user_id).exclude(text="").update(text=ERASED)
