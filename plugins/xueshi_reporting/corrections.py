"""An operator's correction of a dead-letter record: build it again from today's source data.

A record is refused when its content is wrong (an ID number the register does not know, a missing
category). Once the operator fixed the source (the profile, the course's hours), the record is
built again: if its content changed it is a new version with a new key, written to the outbox and
the old row is dropped; if nothing changed the old row is simply re-driven.
"""

from __future__ import annotations

from django.db import transaction

from . import delivery, outbox, records
from .models import Delivery
from .records import Draft


def rebuild(subject: str) -> list[Draft]:
    """The drafts of a subject (``study:…``, ``hours:…``, ``completion:…``, ``certificate:…``) as of now."""
    kind, _, rest = subject.partition(":")
    if kind == "certificate":
        return records.certificate_by_serial(rest)
    if kind == "completion":
        uid, _, course = rest.partition(":")
        return records.completion(int(uid), course)
    if kind == "hours":
        uid, _, label = rest.partition(":")
        return records.hour_account(int(uid), int(label[:4])) if label[:4].isdigit() else []
    if kind == "study":
        uid, _, tail = rest.partition(":")
        course, _, day = tail.rpartition(":")
        from datetime import date

        return records.study_days({(int(uid), course, date.fromisoformat(day))})
    return []


def correct(delivery_id: int) -> str:
    """``rebuilt`` (a new version queued, the old row dropped), ``redriven`` (unchanged), or ``gone``."""
    row = Delivery.objects.select_related("record").filter(pk=delivery_id, state=Delivery.DEAD).first()
    if row is None:
        return "gone"
    with transaction.atomic():
        drafts = rebuild(row.record.subject)
        if drafts and all(d.key() != row.record.idempotency_key for d in drafts):
            outbox.write(drafts)
            delivery.drop([row.pk])
            return "rebuilt"
    delivery.redrive([row.pk])
    return "redriven"
