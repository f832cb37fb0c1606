"""Holds and forced ends: how other apps stop a learner's crediting without touching the heartbeat path.

A hold (a face check due, say) is a row in MariaDB (the evidence) and a field in the learner's
Redis hash of holds (what the heartbeat reads in its one pipelined round trip). The heartbeat
refuses credit with reason ``hold`` while any hold whose ``not_before`` has passed is present.
Redis may lose a hold (it keeps nothing on disk here), so opening a session copies the
unreleased rows back: a hold can be delayed by a restart, never dropped.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from opaque_keys.edx.keys import CourseKey

from . import conf, hotstate
from .data import Hold
from .models import PlaybackSession, StudyHold
from .sessions import to_datetime

log = logging.getLogger(__name__)
KIND_RE = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")


def _check_kind(kind: str) -> str:
    if not isinstance(kind, str) or not KIND_RE.match(kind):
        raise ValueError("hold kind must be a short lowercase slug (a-z, 0-9, _ or -, up to 32)")
    return kind


def _live(hold: Hold) -> str:
    doc: dict[str, Any] = {"nb": hold.not_before, "url": hold.url, "why": hold.reason}
    if hold.course_key:
        doc["c"] = hold.course_key
    return json.dumps(doc, separators=(",", ":"))


def parse(raw: dict[str, str] | None) -> tuple[Hold, ...]:
    """Holds from the learner's Redis hash (bad fields are skipped, never fatal to a heartbeat)."""
    holds = []
    for kind, value in sorted((raw or {}).items()):
        try:
            doc = json.loads(value)
            holds.append(
                Hold(
                    kind,
                    str(doc.get("url", "")),
                    float(doc["nb"]),
                    str(doc.get("why", "")),
                    str(doc.get("c", "")),
                )
            )
        except (ValueError, KeyError, TypeError):
            log.warning("unreadable hold %r skipped", kind)
    return tuple(holds)


def effective(holds: tuple[Hold, ...], now: float, course_key: str | None = None) -> tuple[Hold, ...]:
    """The holds in force at server time ``now`` (for study in ``course_key``, when given)."""
    return tuple(h for h in holds if h.not_before <= now and (course_key is None or h.applies_to(course_key)))


def place(
    user_id: int,
    kind: str,
    *,
    url: str = "",
    not_before: float | None = None,
    reason: str = "",
    course_key: str = "",
) -> Hold:
    """Record a hold and make the heartbeat honour it; placing the same kind again replaces it."""
    _check_kind(kind)
    now = conf.now()
    course = str(CourseKey.from_string(course_key)) if course_key else ""
    hold = Hold(
        kind,
        (url or "")[:512],
        float(now if not_before is None else not_before),
        (reason or "")[:255],
        course,
    )
    with transaction.atomic():
        StudyHold.objects.select_for_update().filter(
            user_id=user_id, kind=kind, released_at__isnull=True
        ).update(released_at=to_datetime(now), release_reason="replaced")
        StudyHold.objects.create(
            user_id=user_id,
            kind=kind,
            url=hold.url,
            reason=hold.reason,
            placed_at=to_datetime(now),
            not_before=to_datetime(hold.not_before),
            course_key=course,
        )
    hotstate.client().hset(hotstate.Keys(user_id).holds, kind, _live(hold))
    return hold


def release(user_id: int, kind: str, *, reason: str = "passed") -> bool:
    """Lift a hold; ``False`` when none of that kind was active."""
    _check_kind(kind)
    hotstate.client().hdel(hotstate.Keys(user_id).holds, kind)
    released = StudyHold.objects.filter(user_id=user_id, kind=kind, released_at__isnull=True).update(
        released_at=to_datetime(conf.now()), release_reason=(reason or "")[:255]
    )
    return released > 0


def active(user_id: int) -> list[Hold]:
    """Unreleased holds of the learner (including those not yet in force), from the durable rows."""
    rows = StudyHold.objects.filter(user_id=user_id, released_at__isnull=True).order_by("kind")
    return [Hold(r.kind, r.url, r.not_before.timestamp(), r.reason, r.course_key) for r in rows]


def restore(user_id: int) -> tuple[Hold, ...]:
    """Copy unreleased holds into Redis (at session open) and return them."""
    holds = tuple(active(user_id))
    if holds:
        hotstate.client().hset(hotstate.Keys(user_id).holds, mapping={h.kind: _live(h) for h in holds})
    return holds


def end_playback(user_id: int, reason: str, course_key: Any = None) -> int:
    """End every live playback session of the learner (in one course, if given); return how many ended.

    Each is marked lost (its next heartbeat is told to stop), the lease is freed if it held it,
    and an ``end`` event goes to the ledger stream so the session row records why.
    """
    now = conf.now()
    since = timezone.now() - timedelta(seconds=conf.token_ttl_seconds() + 60)
    sids = PlaybackSession.objects.filter(user_id=user_id, ended_at__isnull=True, opened_at__gte=since)
    if course_key is not None:
        sids = sids.filter(course_key=CourseKey.from_string(str(course_key)))
    keys, end = hotstate.Keys(user_id), hotstate.script(hotstate.END_LUA)
    ended = 0
    for sid in sids.values_list("id", flat=True):
        event: dict[str, Any] = {
            "k": "end",
            "sid": str(sid),
            "uid": user_id,
            "at": now,
            "reason": reason[:32],
        }
        event["unans"] = hotstate.client().hget(keys.session(str(sid)), "challenge") or ""
        ended += int(
            end(
                keys=[keys.session(str(sid)), keys.lease, keys.stream],
                args=[str(sid), json.dumps(event, separators=(",", ":"))],
            )
        )
    return ended
