"""The learning archive as JSON (the archive API, ``rest_api/v1/archive.py``): plain data, no Django.

Same figures as the archive page (``archive.build_archive``): units and minutes as decimal
strings (never floats: hours are compared with legal minimums), days as ISO dates.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from .archive import Archive, CourseRecord
from .data import HourAccount, HourLine


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _amount(value: Decimal) -> str:
    return str(value)


def line_json(line: HourLine) -> dict[str, Any]:
    """One hour line: the source, what it refers to, when, how much and why (the data spine)."""
    return {
        "source": line.source,
        "ref": line.ref,
        "title": line.title,
        "category": line.category,
        "day": _day(line.day),
        "raw": _amount(line.raw),
        "hours": _amount(line.hours),
        "reason": line.reason,
    }


def account_json(account: HourAccount | None) -> dict[str, Any] | None:
    """The account's summary (its per-day lines are in ``/xueshi/hours/api/v1/account``)."""
    if account is None:
        return None
    return {
        "period": account.period_label,
        "rule": {"id": account.rule_id, "version": account.rule_version, "title": account.rule_title},
        "unit": account.unit,
        "required_total": _amount(account.required_total),
        "required_by_category": {k: _amount(v) for k, v in account.required_by_category.items()},
        "earned_total": _amount(account.earned_total),
        "earned_by_category": {k: _amount(v) for k, v in account.earned_by_category.items()},
        "met": account.met,
        "missing": list(account.missing),
    }


def course_json(course: CourseRecord) -> dict[str, Any]:
    """One course: enrolment, day-by-day minutes, checkpoints, rounds, hours, completion."""
    return {
        "course_key": course.course_key,
        "title": course.title,
        "enrolled_on": _day(course.enrolled_on),
        "minutes": _amount(course.minutes),
        "days": [{"day": d.day.isoformat(), "minutes": _amount(d.minutes)} for d in course.days],
        "checkpoints": {"answered": course.checkpoints_answered, "passed": course.checkpoints_passed},
        "rounds": [
            {
                "kind": r.kind,
                "day": r.day.isoformat(),
                "answered": r.answered,
                "correct": r.correct,
                "percent": r.percent,
                "passed": r.passed,
            }
            for r in course.rounds
        ],
        "hours": _amount(course.hours),
        "completed_on": _day(course.completed_on),
    }


def archive_json(record: Archive, learner: dict[str, Any]) -> dict[str, Any]:
    """The whole archive; ``learner`` is the (masked) person block the caller may see."""
    return {
        "learner": learner,
        "year": record.year,
        "start": record.start.isoformat(),
        "end": record.end.isoformat(),
        "problem": record.problem or None,
        "minutes": _amount(record.minutes),
        "account": account_json(record.account),
        "courses": [course_json(c) for c in record.courses],
        "other_lines": [line_json(x) for x in record.other_lines],
        "entries": [
            {
                "kind": e.kind,
                "title": e.title,
                "day": _day(e.day),
                "url": e.url,
                "public_url": e.public_url,
                "detail": e.detail,
                "ref": e.ref,
            }
            for e in record.entries
        ],
        "unavailable": list(record.unavailable),
    }
