"""What a figure is asked for, parsed and checked before any query (bad input is a clear 400).

A ``FigureQuery`` names a region (province → city → county code), optionally an employer within
it, a course, a personnel category and a period of Asia/Shanghai days: ``period=day|week|month|
year`` around ``date`` (default today), or ``period=range`` with ``start`` and ``end``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from xueshi_core import params
from xueshi_core.days import china_day, month_start, week_start
from xueshi_core.jsonbody import BadInput
from xueshi_core.scopes import region_prefix
from xueshi_identity import api as identity_api

from . import conf

PERIODS = ("day", "week", "month", "year", "range")
FIGURES = ("enrolled", "studying", "examined", "completed", "not_completed", "minutes")
#: Score bands (lowest score of each band, label); scores are whole percents.
BANDS = ((90, "90-100"), (80, "80-89"), (70, "70-79"), (60, "60-69"), (0, "0-59"))


@dataclass(frozen=True)
class FigureQuery:
    """One question for figures; ``region`` empty means "the whole scope of the account"."""

    start: date
    end: date
    period: str = "month"
    region: str = ""
    employer: str = ""
    course: str = ""
    category: str = ""

    def with_region(self, region: str, employer: str = "") -> FigureQuery:
        """The same question one level down."""
        return replace(self, region=region, employer=employer)

    def as_params(self) -> dict[str, str]:
        """The query string that asks this again (links from figures to learner lists)."""
        values = {
            "period": "range",
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "region": self.region,
            "employer": self.employer,
            "course": self.course,
            "category": self.category,
        }
        return {k: v for k, v in values.items() if v}


def period_bounds(period: str, day: date) -> tuple[date, date]:
    """First and last China day of the day, week (Monday first), month or year holding ``day``."""
    if period == "day":
        return day, day
    if period == "week":
        return week_start(day), week_start(day) + timedelta(days=6)
    if period == "month":
        start = month_start(day)
        return start, (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return day.replace(month=1, day=1), day.replace(month=12, day=31)


def _region(raw: str) -> str:
    if not raw:
        return ""
    try:
        region_prefix(raw)
    except ValueError as exc:
        raise BadInput("invalid_region", "region must be a six-digit GB/T 2260 code") from exc
    if not identity_api.division_exists(raw):
        raise BadInput("unknown_region", f"region {raw} is not a GB/T 2260 division", status=404)
    return raw


def parse(query: Mapping[str, Any]) -> FigureQuery:
    """Parse and check the query string of a figures or learners request.

    Raises:
        BadInput: unknown period, malformed or unknown region, course or category, a period that
            ends before it starts or is longer than ``XUESHI_STATS_MAX_PERIOD_DAYS``.
    """
    period = params.query_text(query, "period", max_length=8) or "month"
    if period not in PERIODS:
        raise BadInput("invalid_period", f"period must be one of {', '.join(PERIODS)}")
    if period == "range":
        if not query.get("start") or not query.get("end"):
            raise BadInput("invalid_period", "a range needs start and end (YYYY-MM-DD)")
        start, end = params.day(query.get("start"), "start"), params.day(query.get("end"), "end")
    else:
        anchor = params.day(query["date"]) if query.get("date") else china_day(timezone.now())
        start, end = period_bounds(period, anchor)
    if end < start:
        raise BadInput("invalid_period", "the period ends before it starts")
    if (end - start).days + 1 > conf.max_period_days():
        raise BadInput("invalid_period", f"a period covers at most {conf.max_period_days()} days")
    course = params.query_text(query, "course", max_length=params.MAX_KEY_LENGTH)
    if course:
        course = str(params.course_key(course, "course"))
    category = params.query_text(query, "category", max_length=40)
    if category and category not in identity_api.category_names():
        raise BadInput("unknown_category", f"no personnel category {category!r}")
    return FigureQuery(
        start=start,
        end=end,
        period=period,
        region=_region(params.query_text(query, "region", max_length=6)),
        employer=params.query_text(query, "employer", max_length=128),
        course=course,
        category=category,
    )
