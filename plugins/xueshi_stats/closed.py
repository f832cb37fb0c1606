"""Learner counts of ended periods, read from what was counted once the period closed (ADR 0304).

A period that ended before today is outside the county stock's reach (ADR 0303: the stock is
the present, not the state on a past day), so its learner counts took the cohort pass: a city's
year 3.9 s and the province's 16 s at 1,000,000 learners. Yet an ended period's counts hardly
change: its cohort, study and completions are dated on or before its last day, and the writers
date what they record on the day it happens. So ``closing`` counts each day, week, month and
year once its late data has settled, by the same pass grouped by county × personnel category,
and a question naming exactly that period (no course, no employer) sums those rows.

The one figure the pass would still move is a score band: the pass reads each enrolment's best
score *now*, so a learner who re-sits after the period changes a past period's bands. The closed
counts keep the bands as they stood when the period was counted; a rebuild forgets them all.
"""

from __future__ import annotations

from typing import Any

from xueshi_core.scopes import Scope

from . import stocks
from .models import ClosedPeriod, ClosedPeriodCounts
from .query import FigureQuery


def counted(q: FigureQuery) -> int | None:
    """The id of the closed period ``q`` names exactly, if it was counted; else ``None``."""
    return ClosedPeriod.objects.filter(start=q.start, end=q.end).values_list("pk", flat=True).first()


def counts(period_id: int, scope: Scope, q: FigureQuery, column: str = "") -> list[dict[str, Any]]:
    """The learner counts of a counted period per ``column`` value, as ``figures``' pass returns its rows."""
    rows = scope.filter_profiles(ClosedPeriodCounts.objects.filter(period_id=period_id))
    return stocks.summed(rows, q, column)


def forget() -> int:
    """Drop every closed period (after a rebuild): the beat counts them again from the rebuilt rows."""
    deleted, _by_model = ClosedPeriod.objects.all().delete()
    return deleted
