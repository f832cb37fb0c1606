"""Counters of what degraded: requests served without a check, records that could not be written.

A fault that is handled (a page served while Redis is down, an audit row spooled to disk) must
still be seen, or it is lost silently. Each one is counted here per China day in MariaDB
(``FaultCount``), logged, and shown on the status page ``/xueshi/status/`` (ADR 0062). When the
database itself is what failed, the count is kept in this process and logged, and the status
page of that process shows it.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from datetime import date
from typing import Any

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from .days import china_day

log = logging.getLogger(__name__)

#: Names in use (free text is allowed; these keep the status page readable).
DEVICE_CHECK_SKIPPED = "access.device_check_skipped"
DEVICE_CHECK_REFUSED = "access.device_check_refused"
SIGN_IN_REFUSED = "access.sign_in_refused"
AUDIT_SPOOLED = "access.audit_spooled"
AUDIT_LOST = "access.audit_lost"
REDIS_UNAVAILABLE = "redis.unavailable"

_unsaved: Counter[str] = Counter()
_lock = threading.Lock()


def today() -> date:
    """The China day faults are counted under."""
    from django.conf import settings

    return china_day(timezone.now(), getattr(settings, "XUESHI_TIME_ZONE", "Asia/Shanghai"))


def count(name: str, n: int = 1) -> None:
    """Add ``n`` to today's count of ``name``; never raises (it runs where something already failed)."""
    from .models import FaultCount

    log.warning("degraded: %s (+%d)", name, n)
    day, now = today(), timezone.now()
    try:
        with transaction.atomic():
            rows = FaultCount.objects.filter(name=name[:64], day=day)
            if not rows.update(count=F("count") + n, last_at=now):
                try:
                    with transaction.atomic():
                        FaultCount.objects.create(name=name[:64], day=day, count=n, last_at=now)
                except IntegrityError:  # another process created it meanwhile
                    rows.update(count=F("count") + n, last_at=now)
    except DatabaseError:
        log.error("fault %s not saved to the database; kept in this process", name, exc_info=True)
        with _lock:
            _unsaved[name] += n


def unsaved() -> dict[str, int]:
    """Counts this process could not save (the database was down when they happened)."""
    with _lock:
        return dict(_unsaved)


def totals(days: int = 7) -> list[dict[str, Any]]:
    """Per name: the count today, over the last ``days`` days, and when it last happened."""
    from .models import FaultCount

    first = date.fromordinal(today().toordinal() - days + 1)
    rows = FaultCount.objects.filter(day__gte=first)
    found: dict[str, dict[str, Any]] = {}
    for row in rows.order_by("name", "day"):
        entry = found.setdefault(row.name, {"name": row.name, "today": 0, "period": 0, "last_at": None})
        entry["period"] += row.count
        entry["today"] += row.count if row.day == today() else 0
        entry["last_at"] = max(filter(None, [entry["last_at"], row.last_at]), default=None)
    return list(found.values())


def total(name: str) -> int:
    """Every count of ``name`` ever saved (tests and monitoring)."""
    from .models import FaultCount

    return int(FaultCount.objects.filter(name=name).aggregate(s=Sum("count"))["s"] or 0)
