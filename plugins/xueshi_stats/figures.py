"""Figures from the roll-ups for a scope and a ``FigureQuery`` (ADR 0151 says which region counts).

- Learner counts (enrolled, studying, examined, completed, not completed, scores) count each
  learner × course once, in the region, employer and category the learner had on the period's
  last day. The cohort is the enrolments open at the period's end that were not completed before
  it began: a learner who unenrolled (or was refunded) by then is not counted.
- Studying: had credited study in the period. Examined, completed: by the period's end.
- Credited minutes count each day where the learner was that day (a learner who moved in July
  adds January–June to the old county, July on to the new one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum

from xueshi_core.scopes import Scope

from .models import CourseStatus, DailyStudy, RegionSpell
from .query import FigureQuery
from .regions import spells_on

#: Score bands (lowest score of each band, label); scores are whole percents.
BANDS = ((90, "90-100"), (80, "80-89"), (70, "70-79"), (60, "60-69"), (0, "0-59"))


@dataclass
class Figures:
    """The figures of one region (or the whole scope) for one query."""

    enrolled: int = 0
    studying: int = 0
    examined: int = 0
    completed: int = 0
    not_completed: int = 0
    minutes: int = 0
    average_score: float | None = None
    bands: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return dict(self.__dict__)


def learners_at_end(scope: Scope, q: FigureQuery) -> QuerySet[RegionSpell]:
    """The spells in force on the period's last day that the scope and the category select."""
    spells = scope.filter_profiles(RegionSpell.objects.filter(spells_on(q.end)))
    return spells.filter(category_code=q.category) if q.category else spells


def cohort(scope: Scope, q: FigureQuery) -> QuerySet[CourseStatus]:
    """Learner × course enrolments counted for ``q`` (see the module's docstring)."""
    rows = CourseStatus.objects.filter(
        user_id__in=learners_at_end(scope, q).values("user_id"), enrolled_on__lte=q.end
    ).exclude(Q(unenrolled_on__lte=q.end) | Q(completed_on__lt=q.start))
    return rows.filter(course_key=q.course) if q.course else rows


def studied(q: FigureQuery) -> Exists:
    """Whether the enrolment's learner earned credit in its course during the period."""
    return Exists(
        DailyStudy.objects.filter(
            user_id=OuterRef("user_id"), course_key=OuterRef("course_key"), day__range=(q.start, q.end)
        )
    )


def of_figure(scope: Scope, q: FigureQuery, figure: str) -> QuerySet[CourseStatus]:
    """The enrolments behind one learner-count figure (the list a figure links to)."""
    rows = cohort(scope, q)
    if figure == "studying" or figure == "minutes":
        return rows.filter(studied(q))
    if figure == "examined":
        return rows.filter(examined_on__lte=q.end)
    if figure == "completed":
        return rows.filter(completed_on__lte=q.end)
    if figure == "not_completed":
        return rows.filter(Q(completed_on__isnull=True) | Q(completed_on__gt=q.end))
    return rows


def study_days(scope: Scope, q: FigureQuery) -> QuerySet[DailyStudy]:
    """Daily study rows of the period, by the region of each day."""
    rows = scope.filter_profiles(DailyStudy.objects.filter(day__range=(q.start, q.end)))
    if q.course:
        rows = rows.filter(course_key=q.course)
    return rows.filter(category_code=q.category) if q.category else rows


def compute(scope: Scope, q: FigureQuery) -> Figures:
    """Every figure for the scope (already narrowed to the asked region) and query."""
    rows = cohort(scope, q)
    counts = rows.aggregate(
        enrolled=Count("id"),
        studying=Count("id", filter=Q(studied(q))),
        examined=Count("id", filter=Q(examined_on__lte=q.end)),
        completed=Count("id", filter=Q(completed_on__lte=q.end)),
        average=Avg("best_score", filter=Q(examined_on__lte=q.end)),
    )
    examined = rows.filter(examined_on__lte=q.end)
    bands: dict[str, int] = {}
    upper = 101
    for low, label in BANDS:
        bands[label] = examined.filter(best_score__gte=low, best_score__lt=upper).count()
        upper = low
    ms = study_days(scope, q).aggregate(ms=Sum("credited_ms"))["ms"] or 0
    average = counts["average"]
    return Figures(
        enrolled=counts["enrolled"],
        studying=counts["studying"],
        examined=counts["examined"],
        completed=counts["completed"],
        not_completed=counts["enrolled"] - counts["completed"],
        minutes=int(ms) // 60000,
        average_score=round(float(average), 1) if average is not None else None,
        bands=bands,
    )


def child_level(q: FigureQuery, scope: Scope) -> str:
    """The column one level below the asked region: city, county, employer, or province (nation)."""
    if q.employer:
        return ""
    region = q.region or (scope.regions[0] if len(scope.regions) == 1 else "")
    if not region:
        return "province_code" if not scope.regions else ""
    if region[2:] == "0000":
        return "city_code"
    if region[4:] == "00":
        return "county_code"
    return "employer"


def breakdown(scope: Scope, q: FigureQuery, column: str) -> dict[str, dict[str, int]]:
    """Enrolled, completed and credited minutes per value of ``column`` (the drill-down rows)."""
    at_end = RegionSpell.objects.filter(spells_on(q.end), user_id=OuterRef("user_id")).values(column)[:1]
    result: dict[str, dict[str, int]] = {}
    grouped = (
        cohort(scope, q)
        .annotate(child=Subquery(at_end))
        .values("child")
        .annotate(enrolled=Count("id"), completed=Count("id", filter=Q(completed_on__lte=q.end)))
        .order_by()
    )
    for row in grouped:
        entry = result.setdefault(row["child"] or "", {"enrolled": 0, "completed": 0, "minutes": 0})
        entry["enrolled"], entry["completed"] = row["enrolled"], row["completed"]
    for value, ms in study_days(scope, q).values_list(column).annotate(ms=Sum("credited_ms")).order_by():
        entry = result.setdefault(value or "", {"enrolled": 0, "completed": 0, "minutes": 0})
        entry["minutes"] = int(ms or 0) // 60000
    return dict(sorted(result.items()))


def per_day(scope: Scope, q: FigureQuery, limit: int = 400) -> list[dict[str, Any]]:
    """Credited minutes and learners studying per China day of the period (the dashboard's line).

    Days without study are filled with zeros, so the line does not skip them; a period longer
    than ``limit`` days shows its last ``limit`` (a year and a month: the chart stays readable).
    """
    from datetime import timedelta

    rows = study_days(scope, q).values("day")
    rows = rows.annotate(ms=Sum("credited_ms"), learners=Count("user_id", distinct=True))
    found = {r["day"]: r for r in rows.order_by()}
    first = max(q.start, q.end - timedelta(days=limit - 1))
    result = []
    for n in range((q.end - first).days + 1):
        day = first + timedelta(days=n)
        row = found.get(day)
        minutes = int(row["ms"] or 0) // 60000 if row else 0
        result.append({"day": day.isoformat(), "minutes": minutes, "learners": row["learners"] if row else 0})
    return result
