"""What other apps may read of the certificates (import-linter: only this module).

Plain values, never models. Reporting reads facts about a certificate and the ids after a point,
so a reader that missed a signal (a process died between the commit and its subscriber) can replay
from the table (xueshi_reporting ADR 0201); statistics count certificates without knowing how they
are kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from .models import COURSE, ISSUED, Certificate

_FIELDS = (
    "id",
    "serial",
    "user_id",
    "kind",
    "period_label",
    "period_year",
    "course_key",
    "status",
    "issued_at",
    "revoked_at",
    "revoke_reason",
    "snapshot",
)


def _facts(row: dict[str, Any]) -> dict[str, Any]:
    snap = row.pop("snapshot") or {}
    row["hours"] = str(snap.get("total", ""))
    row["by_category"] = dict(snap.get("by_category") or {})
    row["unit"] = str(snap.get("unit", ""))
    return row


def certificate_facts(serial: str) -> dict[str, Any] | None:
    """Serial, holder, kind, period, course, status, dates and hours of one certificate (or None)."""
    row = Certificate.objects.filter(serial=serial).values(*_FIELDS).first()
    return _facts(row) if row else None


def certificates_after(after_id: int, limit: int = 1000) -> list[dict[str, Any]]:
    """Certificates with ``id > after_id`` in id order (issued since a point), as certificate_facts."""
    rows = Certificate.objects.filter(id__gt=after_id).order_by("id").values(*_FIELDS)[:limit]
    return [_facts(dict(r)) for r in rows]


def revoked_since(moment: datetime, limit: int = 1000) -> list[dict[str, Any]]:
    """Certificates revoked at or after ``moment``, oldest first, as certificate_facts."""
    rows = (
        Certificate.objects.filter(revoked_at__gte=moment)
        .order_by("revoked_at", "id")
        .values(*_FIELDS)[:limit]
    )
    return [_facts(dict(r)) for r in rows]


def valid_course_certificates(user_ids: Iterable[int] | Any, course_keys: Iterable[str]) -> int:
    """How many valid (not revoked) course certificates these learners hold for these courses.

    ``user_ids`` may be a list or a ``values("user_id")`` subquery of the caller's own table (the
    count then runs as one statement, however many learners a province has).
    """
    courses = list(course_keys)
    if not courses:
        return 0
    rows = Certificate.objects.filter(
        kind=COURSE, status=ISSUED, user_id__in=user_ids, course_key__in=courses
    )
    return int(rows.count())
