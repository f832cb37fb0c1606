"""Periods a rule counts over: calendar years or yearly windows (海南: 09-01 → 08-31); no Django.

A period is named by the year it starts in: ``period(rule, 2022)`` of a 09-01 window is
2022-09-01 … 2023-08-31. Days are Asia/Shanghai days, converted by the caller (``xueshi_core.days``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .rules import Rule


@dataclass(frozen=True)
class Period:
    """First and last day (inclusive) of one period, and the due date shown to learners."""

    year: int
    start: date
    end: date
    due: date

    @property
    def label(self) -> str:
        """``2026`` for a calendar year, ``2025-09-01~2026-08-31`` for a window."""
        if (self.start.month, self.start.day) == (1, 1):
            return str(self.year)
        return f"{self.start.isoformat()}~{self.end.isoformat()}"

    def holds(self, day: date) -> bool:
        """Whether ``day`` falls in the period."""
        return self.start <= day <= self.end


def _on(year: int, month_day: str) -> date:
    month, day = (int(p) for p in month_day.split("-"))
    if (month, day) == (2, 29):
        month, day = (2, 28) if not _leap(year) else (2, 29)
    return date(year, month, day)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def period(rule: Rule, year: int) -> Period:
    """The rule's period that starts in ``year``."""
    start = _on(year, rule.window_start if rule.period_kind == "window" else "01-01")
    end = _on(year + 1, rule.window_start if rule.period_kind == "window" else "01-01") - timedelta(days=1)
    due = _on(year + 1, rule.due) if rule.due else end
    return Period(year=year, start=start, end=end, due=max(due, end))


def period_holding(rule: Rule, day: date) -> Period:
    """The rule's period that holds ``day``."""
    current = period(rule, day.year)
    return current if current.holds(day) else period(rule, day.year - 1)
