"""Writing records to the outbox: one row per fact (its key unique), a delivery per destination.

``write`` runs inside the caller's transaction, so the records and whatever produced them (a
collector's cursor, a source change) commit or roll back together. Writing a fact already in the
outbox is a no-op (same idempotency key), which is what makes replays safe (ADR 0201).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import schema
from .models import Delivery, Destination, OutboxRecord
from .records import Draft


def _destinations() -> list[Destination]:
    return list(Destination.objects.filter(active=True))


def write(drafts: Iterable[Draft]) -> list[OutboxRecord]:
    """Store the drafts not stored yet (in order) and their deliveries; return the new rows."""
    drafts = list(drafts)
    if not drafts:
        return []
    keyed = [(d.key(), d) for d in drafts]
    known = set(
        OutboxRecord.objects.filter(idempotency_key__in=[k for k, _ in keyed]).values_list(
            "idempotency_key", flat=True
        )
    )
    destinations = _destinations()
    now = timezone.now()
    created: list[OutboxRecord] = []
    for key, draft in keyed:
        if key in known:
            continue
        known.add(key)
        try:
            with transaction.atomic():
                row = OutboxRecord.objects.create(
                    kind=draft.kind,
                    learner_id=draft.learner_id,
                    subject=draft.subject[:255],
                    idempotency_key=key,
                    payload=schema.canonical_json(draft.record(0)),
                )
        except IntegrityError:  # a concurrent writer stored the same fact first
            continue
        region = str(draft.learner.get("region", ""))
        Delivery.objects.bulk_create(
            Delivery(record=row, destination=d, learner_id=draft.learner_id, next_try_at=now)
            for d in destinations
            if d.wants(draft.kind, region)
        )
        created.append(row)
    return created


def route_to(destination: Destination) -> int:
    """Give a new (or newly widened) destination every stored record it wants; return how many."""
    have = set(Delivery.objects.filter(destination=destination).values_list("record_id", flat=True))
    now = timezone.now()
    count = 0
    for row in OutboxRecord.objects.order_by("id").iterator(chunk_size=500):
        if row.pk in have:
            continue
        region = str(json.loads(str(row.payload.reveal())).get("learner", {}).get("region", ""))
        if destination.wants(row.kind, region):
            Delivery.objects.create(
                record=row, destination=destination, learner_id=row.learner_id, next_try_at=now
            )
            count += 1
    return count
