"""Account retirement (ADR 0060): what a learner wrote goes; the facts the yearly review counts stay.

A rating keeps its stars (the course's figures must not jump when an account closes) and loses its
comment; a ticket keeps its kind, state and times (complaints are counted per period) and loses
its subject and every message (staff answers quote the learner). Connected to
``xueshi_core.retirement.ACCOUNT_RETIRING`` by ``plugin_app``; idempotent.
"""

from __future__ import annotations

from typing import Any

from .models import CourseRating, Ticket, TicketMessage

ERASED = "—"


def retire_account(sender: Any, retiree: Any, **kwargs: Any) -> None:
    """Blank the retiree's rating comments, ticket subjects and ticket messages."""
    CourseRating.objects.filter(user_id=retiree.user_id).exclude(comment="").update(comment="")
    Ticket.objects.filter(user_id=retiree.user_id).exclude(subject=ERASED).update(subject=ERASED)
    TicketMessage.objects.filter(ticket__user_id=retiree.user_id).exclude(body=ERASED).update(body=ERASED)
