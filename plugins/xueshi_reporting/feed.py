"""The change feed the sharing API pages: outbox records numbered in the order they became visible.

Outbox ids are given at INSERT, so a transaction that commits late leaves a lower id behind a
reader's cursor; a cursor over ids would skip it. ``sequence`` (run by the sweep and before each
API page) numbers the committed records that have no number yet, in id order, under a lock, so a
late commit gets a *later* number and every record appears once in the feed (ADR 0205).
"""

from __future__ import annotations

import base64
from typing import Any

from django.db import transaction
from django.db.models import Max, Q

from xueshi_core.jsonbody import BadInput

from .models import Cursor, OutboxRecord

FEED = "feed"
CHUNK = 1000


def sequence(limit: int = 20000) -> int:
    """Number up to ``limit`` committed, unnumbered records; return how many."""
    done = 0
    while done < limit:
        with transaction.atomic():
            Cursor.objects.get_or_create(name=FEED)
            cursor = Cursor.objects.select_for_update().get(name=FEED)
            rows = list(OutboxRecord.objects.filter(feed_seq__isnull=True).order_by("id").only("id")[:CHUNK])
            if not rows:
                break
            for n, row in enumerate(rows, start=cursor.position + 1):
                row.feed_seq = n
            OutboxRecord.objects.bulk_update(rows, ["feed_seq"], batch_size=CHUNK)
            cursor.position += len(rows)
            cursor.save(update_fields=("position",))
            done += len(rows)
    return done


def encode(position: int) -> str:
    """The opaque cursor of a feed position."""
    return base64.urlsafe_b64encode(f"v1.{position}".encode()).decode().rstrip("=")


def decode(text: str) -> int:
    """A feed position from a cursor; ``BadInput`` (400) for anything we did not hand out."""
    if not text:
        return 0
    try:
        if len(text) > 40:
            raise ValueError
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("ascii")
        version, _, number = raw.partition(".")
        if version != "v1" or not number.isdigit() or len(number) > 18:
            raise ValueError
        return int(number)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadInput("invalid_cursor", "cursor is not one this API handed out") from exc


def page(after: int, limit: int, kinds: list[str], prefixes: list[str]) -> tuple[list[Any], int, bool]:
    """Records after ``after`` in feed order within kinds and regions; (rows, next position, more)."""
    top = int(OutboxRecord.objects.aggregate(top=Max("feed_seq"))["top"] or 0)
    rows = OutboxRecord.objects.filter(feed_seq__gt=after, feed_seq__lte=top)  # numbers given later wait
    if kinds:
        rows = rows.filter(kind__in=kinds)
    scope = Q()
    for prefix in prefixes:
        scope |= Q(region__startswith=prefix)
    rows = rows.filter(scope) if prefixes else rows.none()
    found = list(rows.order_by("feed_seq")[: limit + 1])
    more = len(found) > limit
    found = found[:limit]
    if found:
        return found, int(found[-1].feed_seq), more
    return [], max(after, top), False
