"""Asia/Shanghai calendar days for study-time totals.

Regulators count study hours per Chinese calendar day, whatever the server's own time zone.
Everything here is pure (no Django) so the ledger, hours rules and reports share one definition.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Asia/Shanghai"


def china_day(moment: datetime, zone: str = DEFAULT_ZONE) -> date:
    """Return the calendar day of ``moment`` in ``zone``; naive datetimes are refused, not guessed."""
    if moment.tzinfo is None:
        raise ValueError("china_day needs an aware datetime (server time in UTC)")
    return moment.astimezone(ZoneInfo(zone)).date()


def day_bounds(day: date, zone: str = DEFAULT_ZONE) -> tuple[datetime, datetime]:
    """Return the UTC instants [start, end) of ``day`` in ``zone``, for range queries on UTC columns."""
    start = datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(zone))
    return start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC)


def week_start(day: date) -> date:
    """Monday of the ISO week holding ``day`` (Chinese weeks start on Monday)."""
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    """First day of the month holding ``day``."""
    return day.replace(day=1)
