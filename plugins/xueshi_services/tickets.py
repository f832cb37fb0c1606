"""Q&A and complaints: the one place tickets are opened, answered and moved between states.

Questions: ``open`` (staff's turn, the answer clock runs) → ``answered`` (the learner's turn; a
follow-up opens it again with a fresh clock) → ``closed``. Complaints: ``received`` →
``investigating`` → ``resolved`` or ``rejected`` (the clock runs until one of those). Every change
takes the row lock, so two staff answering at once cannot lose a state or a message (ADR 0221).
"""

from __future__ import annotations

import secrets
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from xueshi_core.days import china_day
from xueshi_core.jsonbody import BadInput

from . import conf, signals
from .models import Ticket, TicketMessage

MAX_SUBJECT, MAX_BODY = 200, 5000
TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    Ticket.QUESTION: {
        Ticket.OPEN: frozenset({Ticket.ANSWERED, Ticket.CLOSED}),
        Ticket.ANSWERED: frozenset({Ticket.OPEN, Ticket.CLOSED}),
        Ticket.CLOSED: frozenset(),
    },
    Ticket.COMPLAINT: {
        Ticket.RECEIVED: frozenset({Ticket.INVESTIGATING, Ticket.RESOLVED, Ticket.REJECTED}),
        Ticket.INVESTIGATING: frozenset({Ticket.RESOLVED, Ticket.REJECTED}),
        Ticket.RESOLVED: frozenset(),
        Ticket.REJECTED: frozenset(),
    },
}
FIRST_STATE = {Ticket.QUESTION: Ticket.OPEN, Ticket.COMPLAINT: Ticket.RECEIVED}


def clean_text(raw: object, name: str, max_length: int, *, required: bool = True) -> str:
    """Trimmed plain text, refused (``BadInput``) when missing, too long or not storable."""
    text = ("" if raw is None else str(raw)).strip()
    if required and not text:
        raise BadInput(f"missing_{name}", f"{name} is required")
    if len(text) > max_length:
        raise BadInput(f"invalid_{name}", f"{name} is longer than {max_length} characters")
    if "\x00" in text or any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        raise BadInput(f"invalid_{name}", f"{name} holds characters that are not text")
    return text


def _target(kind: str) -> object:
    return conf.question_target() if kind == Ticket.QUESTION else conf.complaint_target()


def is_overdue(ticket: Ticket, now: datetime | None = None) -> bool:
    """Staff's turn and past ``due_at``."""
    return bool(
        ticket.state in Ticket.WAITING_FOR_STAFF
        and ticket.due_at is not None
        and ticket.due_at < (now or timezone.now())
    )


def open_ticket(user: object, kind: str, subject: object, body: object, course_key: str = "") -> Ticket:
    """A learner's new question or complaint, with its first message and its answer deadline."""
    if kind not in Ticket.KINDS:
        raise BadInput("invalid_kind", "kind must be question or complaint")
    subject_text = clean_text(subject, "subject", MAX_SUBJECT)
    body_text = clean_text(body, "body", MAX_BODY)
    waiting = Ticket.objects.filter(user=user, state__in=Ticket.WAITING_FOR_STAFF).count()
    if waiting >= conf.max_open_tickets():
        raise BadInput("too_many_open", "too many questions are still waiting for an answer", status=429)
    now = timezone.now()
    with transaction.atomic():
        ticket = Ticket.objects.create(
            serial=_serial(kind),
            kind=kind,
            user=user,
            course_key=course_key,
            subject=subject_text,
            state=FIRST_STATE[kind],
            due_at=now + _target(kind),  # type: ignore[operator]
        )
        TicketMessage.objects.create(ticket=ticket, author=user, body=body_text)
        event = signals.TicketEvent(ticket.serial, kind, ticket.user_id, course_key)
        signals.send_on_commit(signals.TICKET_CREATED, event)
    return ticket


def _serial(kind: str) -> str:
    """``Q`` or ``C``, the China day, and 8 random hex digits: quotable on the phone, never guessed."""
    return f"{kind[0].upper()}{china_day(timezone.now()):%Y%m%d}{secrets.token_hex(4).upper()}"


def _locked(serial: str) -> Ticket:
    ticket = Ticket.objects.select_for_update().filter(serial=serial).first()
    if ticket is None:
        raise BadInput("no_such_ticket", "there is no such ticket", status=404)
    return ticket


def _move(ticket: Ticket, new_state: str) -> None:
    """Change state inside the caller's transaction; the clock starts or stops with it."""
    old = ticket.state
    if new_state not in TRANSITIONS[ticket.kind].get(old, frozenset()):
        raise BadInput(
            "invalid_transition", f"a {ticket.kind} cannot go from {old} to {new_state}", status=409
        )
    ticket.state = new_state
    if new_state in Ticket.WAITING_FOR_STAFF and old not in Ticket.WAITING_FOR_STAFF:
        ticket.due_at = timezone.now() + _target(ticket.kind)  # type: ignore[operator]
    ticket.save(update_fields=["state", "due_at", "updated_at"])
    event = signals.TicketStateChanged(ticket.serial, ticket.kind, ticket.user_id, old, new_state)
    signals.send_on_commit(signals.TICKET_STATE_CHANGED, event)


def move(serial: str, new_state: str) -> Ticket:
    """Staff move a ticket (close a question, resolve or reject a complaint)."""
    if new_state not in Ticket.STATES:
        raise BadInput("invalid_state", "unknown state")
    with transaction.atomic():
        ticket = _locked(serial)
        _move(ticket, new_state)
    return ticket


def staff_reply(serial: str, staff: object, body: object, new_state: str = "") -> Ticket:
    """Staff answer: the message, then the state (a question becomes answered; a complaint moves on)."""
    text = clean_text(body, "body", MAX_BODY)
    with transaction.atomic():
        ticket = _locked(serial)
        if ticket.state in (Ticket.CLOSED, Ticket.RESOLVED, Ticket.REJECTED):
            raise BadInput("ticket_closed", "this ticket is closed", status=409)
        message = TicketMessage.objects.create(ticket=ticket, author=staff, from_staff=True, body=text)
        if ticket.first_answered_at is None:
            ticket.first_answered_at = message.created_at
            ticket.save(update_fields=["first_answered_at"])
        target = new_state or (Ticket.ANSWERED if ticket.kind == Ticket.QUESTION else Ticket.INVESTIGATING)
        if target != ticket.state:
            _move(ticket, target)
        event = signals.TicketAnswered(
            ticket.serial, ticket.kind, ticket.user_id, ticket.course_key, message.pk, ticket.subject
        )
        signals.send_on_commit(signals.TICKET_ANSWERED, event)
    return ticket


def learner_reply(serial: str, user: object, body: object) -> Ticket:
    """The learner's follow-up on their own ticket; an answered question waits for staff again."""
    text = clean_text(body, "body", MAX_BODY)
    with transaction.atomic():
        ticket = _locked(serial)
        if ticket.user_id != getattr(user, "pk", None):
            raise BadInput("no_such_ticket", "there is no such ticket", status=404)
        if ticket.state in (Ticket.CLOSED, Ticket.RESOLVED, Ticket.REJECTED):
            raise BadInput("ticket_closed", "this ticket is closed", status=409)
        TicketMessage.objects.create(ticket=ticket, author=user, body=text)
        if ticket.state == Ticket.ANSWERED:
            _move(ticket, Ticket.OPEN)
    return ticket


def learner_close(serial: str, user: object) -> Ticket:
    """The learner closes their own question (satisfied with the answer)."""
    with transaction.atomic():
        ticket = _locked(serial)
        if ticket.user_id != getattr(user, "pk", None) or ticket.kind != Ticket.QUESTION:
            raise BadInput("no_such_ticket", "there is no such question", status=404)
        _move(ticket, Ticket.CLOSED)
    return ticket
