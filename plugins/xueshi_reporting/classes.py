"""Approval before a class starts: a course run and its learners declared to an authority that approves.

``declare`` stores the class and, after commit, holds each learner's study *in that course* (a
course-scoped ledger hold) and sends the declaration; the beat sweep asks again for classes not
yet declared (backoff) or awaiting a decision (every ``XUESHI_REPORTING_CLASS_POLL_SECONDS``).
Approval releases the holds; a rejection keeps them and shows the authority's reason on the
operator page (ADR 0332). Every question and answer is an ``Exchange`` row.
"""

from __future__ import annotations

import time
from datetime import date, timedelta
from functools import partial

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey

from xueshi_identity import api as identity
from xueshi_studytime import api as studytime

from . import conf, records
from .adapters import authority
from .models import ClassDeclaration, Destination
from .registers import audit

MAX_LEARNERS = 2000
DECIDED = {"approved": ClassDeclaration.APPROVED, "rejected": ClassDeclaration.REJECTED}


class ClassError(ValueError):
    """A declaration that cannot be made (the message is for the operator, translated)."""


def declare(
    code: str, course_key: str, name: str, starts_on: date, learner_ids: list[int], by: int | None
) -> ClassDeclaration:
    """Store a class for ``code``'s approval; holds and the declaration follow the commit.

    Raises:
        ClassError: no such destination taking approvals, a bad course key, no or unknown learners.
    """
    destination = Destination.objects.filter(code=code, active=True, approval=True).first()
    if destination is None:
        raise ClassError(_("Choose a destination that approves classes."))
    try:
        course = str(CourseKey.from_string(course_key))
    except InvalidKeyError as exc:
        raise ClassError(_("That is not a course key.")) from exc
    name = name.strip()[:100]
    ids = sorted(set(learner_ids))
    if not name or not ids or len(ids) > MAX_LEARNERS:
        raise ClassError(_("Give the class a name and between 1 and 2000 learners."))
    unknown = [uid for uid in ids if not identity.has_complete_profile(uid)]
    if unknown:
        shown = ", ".join(str(u) for u in unknown[:20])
        raise ClassError(_("These learners have no complete real-name profile: %(ids)s") % {"ids": shown})
    with transaction.atomic():
        row = ClassDeclaration.objects.create(
            destination=destination,
            course_key=course,
            name=name,
            starts_on=starts_on,
            learner_ids=ids,
            declared_by=by,
        )
        transaction.on_commit(partial(_queue, row.pk))
    return row


def _queue(pk: int) -> None:
    from .tasks import declare_class

    declare_class.delay(pk)


def start(pk: int) -> None:
    """Hold each learner's study in the class's course, then declare the class."""
    row = ClassDeclaration.objects.select_related("destination").get(pk=pk)
    if row.state != ClassDeclaration.DECLARING:
        return
    url = f"{reverse('xueshi_reporting:hold')}?why=class"
    for uid in row.learner_ids:
        studytime.place_hold(
            uid, row.hold_kind, url=url, reason=f"class {row.pk} awaits approval", course_key=row.course_key
        )
    send(row)


def _ask(row: ClassDeclaration, path: str, question: dict) -> authority.Reply:  # type: ignore[type-arg]
    started = time.monotonic()
    reply = authority.ask(row.destination, path, question)
    audit(row.destination, f"class:{row.pk}", question, reply, int((time.monotonic() - started) * 1000))
    row.attempts += 1
    row.asked_at = timezone.now()
    return reply


def send(row: ClassDeclaration) -> None:
    """Declare the class (course, start, learners with their real-name facts)."""
    learners = [records.learner_facts(uid) for uid in row.learner_ids]
    question = {
        "class": {
            "name": row.name,
            "starts_on": row.starts_on.isoformat(),
            "course": records.course_facts(row.course_key),
            "learners": [f for f in learners if f is not None],
        }
    }
    reply = _ask(row, "classes", question)
    remote = str(reply.data.get("class_id", ""))[:64] if reply.outcome == authority.ANSWERED else ""
    if remote:
        row.remote_id, row.state, row.attempts = remote, ClassDeclaration.PENDING, 0
        _decide(row, str(reply.data.get("status", "")), str(reply.data.get("reason", "")))
    elif row.attempts >= row.destination.max_attempts:
        row.state, row.reason = ClassDeclaration.FAILED, f"{reply.outcome}: {reply.detail}"[:300]
    else:
        row.reason = f"{reply.outcome}: {reply.detail}"[:300]
    row.save()


def poll(row: ClassDeclaration) -> None:
    """Ask the authority whether it decided; apply the decision."""
    reply = _ask(row, "classes/status", {"class_id": row.remote_id})
    if reply.outcome == authority.ANSWERED:
        _decide(row, str(reply.data.get("status", "")), str(reply.data.get("reason", "")))
    else:
        row.reason = f"{reply.outcome}: {reply.detail}"[:300]
    row.save()


def _decide(row: ClassDeclaration, status: str, reason: str) -> None:
    if status not in DECIDED:
        return
    row.state, row.reason, row.decided_at = DECIDED[status], reason[:300], timezone.now()
    if row.state == ClassDeclaration.APPROVED:
        for uid in row.learner_ids:
            studytime.release_hold(uid, row.hold_kind, reason=f"class approved by {row.destination.code}")


def sweep() -> int:
    """Declare again (with backoff) or ask for a decision (every poll interval); how many were asked."""
    now, asked = timezone.now(), 0
    for row in ClassDeclaration.objects.filter(
        state__in=(ClassDeclaration.DECLARING, ClassDeclaration.PENDING)
    ).select_related("destination"):
        wait = (
            conf.backoff_seconds(row.attempts)
            if row.state == ClassDeclaration.DECLARING
            else conf.class_poll_seconds()
        )
        if row.asked_at is None or row.asked_at + timedelta(seconds=wait) <= now:
            (send if row.state == ClassDeclaration.DECLARING else poll)(row)
            asked += 1
    return asked
