"""Facts learner services tell others (notifications, statistics), sent only after they are committed.

.. event_type: xueshi_services.ticket_created
.. event_name: TICKET_CREATED
.. event_description: a learner asked a question or filed a complaint. Sent with
   ``transaction.on_commit`` from ``tickets.open_ticket``.
.. event_data: event (TicketEvent)

.. event_type: xueshi_services.ticket_answered
.. event_name: TICKET_ANSWERED
.. event_description: staff wrote an answer on a ticket (the learner should be told). Sent once per
   staff message, with its id, from ``tickets.staff_reply``; receivers dedupe on ``message_id``.
.. event_data: event (TicketAnswered)

.. event_type: xueshi_services.ticket_state_changed
.. event_name: TICKET_STATE_CHANGED
.. event_description: a ticket moved between states (``tickets.TRANSITIONS``), e.g. a complaint
   resolved. Sent from ``tickets.move``, the one place ``Ticket.state`` changes after creation.
.. event_data: event (TicketStateChanged)

.. event_type: xueshi_services.rating_changed
.. event_name: RATING_CHANGED
.. event_description: a course's published ratings changed (a learner rated or edited, an operator
   hid or restored one); statistics may refresh the course's figures from ``api.rating_stats``.
.. event_data: event (RatingChanged)
"""

from __future__ import annotations

from dataclasses import dataclass

from django.dispatch import Signal

from xueshi_core.facts import send_on_commit as send_on_commit  # callers say signals.send_on_commit

TICKET_CREATED = Signal()
TICKET_ANSWERED = Signal()
TICKET_STATE_CHANGED = Signal()
RATING_CHANGED = Signal()


@dataclass(frozen=True)
class TicketEvent:
    """The payload of ``TICKET_CREATED``."""

    serial: str
    kind: str
    user_id: int
    course_key: str


@dataclass(frozen=True)
class TicketAnswered:
    """The payload of ``TICKET_ANSWERED``: which ticket, whose, its subject, and the staff message.

    ``subject`` is what a notification names (xueshi_notify's ``question_answered`` ``title``);
    ``message_id`` is unique per answer, the natural dedupe key (``ticket_answered:<message_id>``).
    """

    serial: str
    kind: str
    user_id: int
    course_key: str
    message_id: int
    subject: str = ""


@dataclass(frozen=True)
class TicketStateChanged:
    """The payload of ``TICKET_STATE_CHANGED``."""

    serial: str
    kind: str
    user_id: int
    old_state: str
    new_state: str


@dataclass(frozen=True)
class RatingChanged:
    """The payload of ``RATING_CHANGED``."""

    course_key: str
    user_id: int
