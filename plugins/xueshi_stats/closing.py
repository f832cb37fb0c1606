"""Counting ended periods once their late data has settled, for ``closed`` to read (ADR 0304).

The beat task (``close_periods``, hourly) finds the periods a supervisor can name with the
dashboard's ``period`` choices (each week, month and year within the retention years, and the
last ``XUESHI_STATS_CLOSE_RECENT_DAYS`` days) that ended at least ``XUESHI_STATS_CLOSE_AFTER_HOURS``
ago and were not counted yet, newest first, and counts at most ``XUESHI_STATS_CLOSE_BATCH`` of them
per run. Each is the cohort pass of ``figures`` grouped by the county × category of every
learner's spell on the period's last day, written with its ``ClosedPeriod`` in one transaction.
Two runs counting the same period at once keep the first: the second's insert finds the key.
"""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import CharField, Min, OuterRef, Subquery, Value
from django.db.models.functions import Concat
from django.utils import timezone

from xueshi_core.days import china_day
from xueshi_core.retention import retention_years
from xueshi_core.scopes import Scope

from . import conf, figures, stocks
from .models import ClosedPeriod, ClosedPeriodCounts, CourseStatus, RegionSpell
from .query import FigureQuery, period_bounds
from .regions import spells_on

PLACE = ("province_code", "city_code", "county_code", "category_code")
SEPARATOR = "|"  # no GB/T 2260 code nor category code holds it
KINDS = ("week", "month", "year")


def last_closable(now: datetime) -> date:
    """The latest China day whose end lies ``close_after_hours`` or more before ``now``."""
    return china_day(now - timedelta(hours=conf.close_after_hours())) - timedelta(days=1)


def due(now: datetime) -> list[tuple[date, date]]:
    """Ended periods not counted yet, newest end first (a longer period first on the same end)."""
    first = CourseStatus.objects.aggregate(first=Min("enrolled_on"))["first"]
    if first is None:
        return []
    last = last_closable(now)
    horizon = max(first, date(last.year - retention_years(), 1, 1))
    days = (last - timedelta(days=n) for n in range(conf.close_recent_days()))
    wanted = {(day, day) for day in days if day >= horizon}
    for kind in KINDS:
        start, end = period_bounds(kind, last)
        if end > last:  # the period holding ``last`` has not ended: begin with the one before
            start, end = period_bounds(kind, start - timedelta(days=1))
        while end >= horizon:
            wanted.add((start, end))
            start, end = period_bounds(kind, start - timedelta(days=1))
    wanted -= set(ClosedPeriod.objects.values_list("start", "end"))
    return sorted(wanted, key=lambda period: (period[1], period[1] - period[0]), reverse=True)


def place_counts(start: date, end: date) -> list[dict[str, object]]:
    """The cohort pass of [start, end] over every learner, grouped by the place held on ``end``."""
    q = FigureQuery(start=start, end=end, period="range")
    parts = (part for field in PLACE for part in (field, Value(SEPARATOR)))
    joined = Concat(*parts, output_field=CharField())
    at_end = RegionSpell.objects.filter(spells_on(end), user_id=OuterRef("user_id"))
    place = Subquery(at_end.annotate(place=joined).values("place")[:1])
    rows = figures.cohort(Scope(everything=True), q).annotate(place=place)
    return list(rows.values("place").annotate(**figures.pass_counts(q)).order_by())


def count(start: date, end: date, now: datetime | None = None) -> ClosedPeriod | None:
    """Count one ended period and keep it; ``None`` when another run had kept it first."""
    began = time.monotonic()
    grouped = place_counts(start, end)
    seconds = time.monotonic() - began
    with transaction.atomic():
        period, created = ClosedPeriod.objects.get_or_create(
            start=start, end=end, defaults={"counted_at": now or timezone.now(), "seconds": seconds}
        )
        if not created:
            return None
        rows = []
        for row in grouped:
            codes = dict(zip(PLACE, str(row["place"]).split(SEPARATOR)[: len(PLACE)], strict=True))
            values = {column: int(row[column] or 0) for column in stocks.COLUMNS}
            rows.append(ClosedPeriodCounts(period=period, **codes, **values))
        ClosedPeriodCounts.objects.bulk_create(rows, batch_size=1000)
    return period


def run(now: datetime | None = None, limit: int | None = None) -> list[str]:
    """Count the due periods, at most ``limit`` (default ``XUESHI_STATS_CLOSE_BATCH``; 0: every one)."""
    now = now or timezone.now()
    periods = due(now)
    done = []
    for start, end in periods if limit == 0 else periods[: limit or conf.close_batch()]:
        if count(start, end, now) is not None:
            done.append(f"{start.isoformat()}..{end.isoformat()}")
    return done
