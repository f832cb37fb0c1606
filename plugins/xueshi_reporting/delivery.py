"""Delivering a destination's due records in batches: lease, order per learner, outcomes, backoff.

Exactly once as the receiver sees it rests on three things (ADR 0202): every record carries its
idempotency key and the receiver stores by it; a batch is marked *sending* with a deadline (the
lease) before it leaves, so a worker that dies mid-push leaves rows that fall due again and are
sent again with the same keys; and only a verified answer naming a key moves that key to
*delivered* (a timeout, a lost or forged answer leaves it to be re-sent, the receiver answers
``duplicate``). A learner's record is never sent while an earlier one of theirs is still open.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
import uuid
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from . import conf
from .adapters.base import DUPLICATE, REJECTED, STORED, Adapter, Answer
from .adapters.jsonhttp import JsonHttpAdapter
from .adapters.xlsx import XlsxAdapter
from .models import Delivery, Destination, Exchange

INF = float("inf")


def adapter_for(destination: Destination) -> Adapter:
    """The adapter of the destination's profile."""
    return XlsxAdapter() if destination.profile == Destination.XLSX else JsonHttpAdapter()


def claim(code: str, owner: str) -> Destination | None:
    """Take the destination's lease (free, expired, or already ours); None when another worker has it."""
    now = timezone.now()
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now) | Q(lease_owner=owner)
    until = now + timedelta(seconds=conf.lease_seconds())
    if (
        not Destination.objects.filter(code=code, active=True)
        .filter(free)
        .update(lease_until=until, lease_owner=owner)
    ):
        return None
    return Destination.objects.get(code=code)


def release(destination: Destination, owner: str) -> None:
    """Give the lease back if it is still ours."""
    Destination.objects.filter(pk=destination.pk, lease_owner=owner).update(lease_until=None, lease_owner="")


def due(destination: Destination) -> list[Delivery]:
    """The next batch: due rows in outbox order, minus any learner's row behind an open earlier one."""
    now = timezone.now()
    rows = list(
        Delivery.objects.filter(
            destination=destination, state__in=(Delivery.PENDING, Delivery.SENDING), next_try_at__lte=now
        )
        .select_related("record")
        .order_by("record_id")[: destination.batch_size]
    )
    if not rows:
        return []
    ids = {r.pk for r in rows}
    top = max(r.record_id for r in rows)
    earlier = Delivery.objects.filter(
        destination=destination,
        learner_id__in={r.learner_id for r in rows},
        record_id__lte=top,
        state__in=Delivery.OPEN,
    ).values_list("pk", "learner_id", "record_id")
    blocked: dict[int, float] = {}
    for pk, learner, record in earlier:
        if pk not in ids:
            blocked[learner] = min(blocked.get(learner, INF), record)
    return [r for r in rows if r.record_id < blocked.get(r.learner_id, INF)]


def _mapped(destination: Destination, record: dict[str, Any]) -> dict[str, Any]:
    """Our category codes replaced by the destination's (``{"learner": {…}, "course": {…}}``)."""
    mapping = destination.category_map or {}
    for part in ("learner", "course"):
        table, value = mapping.get(part) or {}, record.get(part)
        if isinstance(value, dict) and value.get("category") in table:
            value["category"] = table[value["category"]]
    return record


def payloads(destination: Destination, rows: list[Delivery]) -> list[dict[str, Any]]:
    """The records of ``rows`` as they leave: stored payload, outbox sequence, mapped categories."""
    out = []
    for row in rows:
        record = json.loads(str(row.record.payload.reveal()))
        record["seq"] = row.record_id
        out.append(_mapped(destination, record))
    return out


def send_batch(destination: Destination, rows: list[Delivery]) -> Answer:
    """Mark the rows *sending*, push them, apply the answer; every step audited in an ``Exchange``."""
    batch = uuid.uuid4().hex
    lease_end = timezone.now() + timedelta(seconds=conf.lease_seconds())
    with transaction.atomic():
        Delivery.objects.filter(pk__in=[r.pk for r in rows]).update(
            state=Delivery.SENDING, batch=batch, attempts=F("attempts") + 1, next_try_at=lease_end
        )
        records = payloads(destination, rows)
        digest = hashlib.sha256(json.dumps(records, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        exchange = Exchange.objects.create(
            destination=destination, batch=batch, keys=[r["key"] for r in records], request_sha256=digest
        )
    started = time.monotonic()
    answer = adapter_for(destination).push(destination, batch, records)
    Exchange.objects.filter(pk=exchange.pk).update(
        duration_ms=int((time.monotonic() - started) * 1000),
        http_status=answer.http_status,
        outcome=answer.outcome,
        answer=(answer.detail + "\n" + answer.raw)[:4000],
    )
    apply(destination, batch, answer)
    return answer


def apply(destination: Destination, batch: str, answer: Answer) -> dict[str, int]:
    """Move each row of ``batch`` by its outcome; rows not named in a trusted answer are retried.

    Rows are grouped by outcome and moved with one UPDATE per group (a batch is hundreds of rows);
    only rows still *sending* in this batch move, so a late or repeated answer changes nothing.
    """
    now = timezone.now()
    rows = Delivery.objects.filter(destination=destination, batch=batch, state=Delivery.SENDING)
    delivered, rejected, retry, spent = [], {}, [], []
    for pk, key, attempts in rows.values_list("pk", "record__idempotency_key", "attempts"):
        outcome = answer.outcomes.get(key)
        if outcome is not None and outcome.status in (STORED, DUPLICATE):
            delivered.append(pk)
        elif outcome is not None and outcome.status == REJECTED:
            rejected[pk] = f"rejected: {outcome.reason}"[:300]
        elif attempts >= destination.max_attempts:
            spent.append((pk, attempts))
        else:
            retry.append((pk, attempts))
    error = f"{answer.outcome}: {answer.detail}"[:300]
    with transaction.atomic():
        open_rows = Delivery.objects.filter(batch=batch, state=Delivery.SENDING)
        open_rows.filter(pk__in=delivered).update(state=Delivery.DELIVERED, delivered_at=now, last_error="")
        for pk, reason in rejected.items():
            open_rows.filter(pk=pk).update(state=Delivery.DEAD, last_error=reason)
        open_rows.filter(pk__in=[pk for pk, _ in spent]).update(state=Delivery.DEAD, last_error=error)
        if retry:
            attempts = max(a for _, a in retry)
            wait = conf.backoff_seconds(attempts) * random.uniform(0.8, 1.0)  # noqa: S311 - jitter only
            open_rows.filter(pk__in=[pk for pk, _ in retry]).update(
                state=Delivery.PENDING, next_try_at=now + timedelta(seconds=wait), last_error=error
            )
    return {"delivered": len(delivered), "dead": len(rejected) + len(spent), "retry": len(retry)}


def run(code: str, owner: str | None = None, budget_seconds: float = 20.0) -> int:
    """Send due batches of one destination for up to ``budget_seconds``; return how many rows were sent."""
    owner = owner or uuid.uuid4().hex
    destination = claim(code, owner)
    if destination is None:
        return 0
    sent = 0
    deadline = time.monotonic() + budget_seconds
    try:
        while time.monotonic() < deadline:
            rows = due(destination)
            if not rows:
                break
            answer = send_batch(destination, rows)
            sent += len(rows)
            claim(code, owner)  # extend the lease between batches
            if answer.outcome != "answered":
                break  # the destination is struggling: let backoff space the next try
    finally:
        release(destination, owner)
    return sent


def redrive(delivery_ids: list[int]) -> int:
    """Dead-letter rows back to pending now, attempts reset (after an operator corrected the cause)."""
    return Delivery.objects.filter(pk__in=delivery_ids, state=Delivery.DEAD).update(
        state=Delivery.PENDING, attempts=0, next_try_at=timezone.now(), last_error=""
    )


def drop(delivery_ids: list[int]) -> int:
    """Give up dead-letter rows for good (they stop holding the learner's later records back)."""
    return Delivery.objects.filter(pk__in=delivery_ids, state=Delivery.DEAD).update(state=Delivery.DROPPED)
