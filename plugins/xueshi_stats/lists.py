"""The learners behind a figure, one page at a time, masked (core masking through the identity api)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Sum

from xueshi_core import params
from xueshi_core.jsonbody import BadInput
from xueshi_core.scopes import Scope
from xueshi_identity import api as identity_api

from . import conf, figures, stocks
from .models import CourseStatus, DailyStudy, RegionSpell
from .query import FIGURES, FigureQuery
from .regions import spells_on

MAX_PAGE = 1_000_000
#: a county's page walks its learners this many at a time, up to this many rows deep (``page_of``)
WALK_BATCH, WALK_LIMIT = 200, 2000


def paging(query: Mapping[str, Any]) -> tuple[int, int]:
    """``(page, page_size)`` from the query; a page size over ``XUESHI_STATS_MAX_PAGE_SIZE`` is a 400."""
    size = params.query_int(query, "page_size", 50, low=1, high=conf.max_page_size())
    return params.query_int(query, "page", 1, low=1, high=MAX_PAGE), size


def figure_name(query: Mapping[str, Any]) -> str:
    """The ``figure`` parameter, one of ``query.FIGURES``."""
    name = params.query_text(query, "figure", max_length=20) or "enrolled"
    if name not in FIGURES:
        raise BadInput("invalid_figure", f"figure must be one of {', '.join(FIGURES)}")
    return name


def _minutes(q: FigureQuery, pairs: list[tuple[int, str]]) -> dict[tuple[int, str], int]:
    rows = (
        DailyStudy.objects.filter(user_id__in={p[0] for p in pairs}, course_key__in={p[1] for p in pairs})
        .filter(day__range=(q.start, q.end))
        .values_list("user_id", "course_key")
        .annotate(ms=Sum("credited_ms"))
        .order_by()
    )
    return {(uid, course): int(ms or 0) // 60000 for uid, course, ms in rows}


def describe(items: list[CourseStatus], q: FigureQuery) -> list[dict[str, Any]]:
    """The masked rows of these enrolments: learner, region at the period's end, minutes, score.

    Shared by the learner lists, the queries and the exports (one chunk at a time), so every
    list of learners looks and is masked the same way.
    """
    ids = {r.user_id for r in items}
    names = identity_api.masked_names(ids)
    places = {s.user_id: s for s in RegionSpell.objects.filter(spells_on(q.end), user_id__in=ids)}
    minutes = _minutes(q, [(r.user_id, r.course_key) for r in items])
    codes = {c for s in places.values() for c in (s.city_code, s.county_code) if c}
    region_names = identity_api.division_names(codes)
    result = []
    for r in items:
        spell = places.get(r.user_id)
        name, id_masked = names.get(r.user_id, ("", ""))
        result.append(
            {
                "learner_id": r.user_id,
                "name": name,
                "id_number": id_masked,
                "region": " ".join(region_names.get(c, c) for c in (spell.city_code, spell.county_code) if c)
                if spell
                else "",
                "employer": spell.employer if spell else "",
                "course": r.course_key,
                "enrolled_on": r.enrolled_on.isoformat() if r.enrolled_on else None,
                "minutes": minutes.get((r.user_id, r.course_key), 0),
                "best_score": r.best_score,
                "completed_on": r.completed_on.isoformat() if r.completed_on else None,
            }
        )
    return result


def figure_rows(scope: Scope, q: FigureQuery, figure: str) -> QuerySet[CourseStatus]:
    """The enrolments behind ``figure`` (``minutes``: those with study in the period), unordered."""
    if figure == "minutes":
        same = {"user_id": OuterRef("user_id"), "course_key": OuterRef("course_key")}
        studied = figures.study_days(scope, q).filter(**same)
        return CourseStatus.objects.filter(Exists(studied))
    return figures.of_figure(scope, q, figure)


def figure_total(scope: Scope, q: FigureQuery, figure: str, rows: QuerySet[CourseStatus]) -> int:
    """How many enrolments are behind ``figure``: the county stock's count where it is exact, else a count.

    ADR 0307: for a period ending today or later without a course or an employer the stock holds
    the figure itself (ADR 0303, the same number ``figures.tally`` shows), so a page of a city's
    learners need not count its whole cohort (150,000 enrolments at 1,000,000 learners) first.
    Minutes are not in the stock; their list is counted.
    """
    if figure == "minutes" or not figures.summarised(scope, q) or not stocks.exact_for(q):
        return rows.count()
    found = stocks.counts(scope, q)[0]
    return found["enrolled"] - found["completed"] if figure == "not_completed" else found[figure]


def page_of(
    scope: Scope, q: FigureQuery, figure: str, rows: QuerySet[CourseStatus], page: int, size: int
) -> list[CourseStatus]:
    """The ``page``-th ``size`` rows of ``rows`` in ``(user_id, course_key)`` order.

    ADR 0307: for a county's early pages the learners are walked in ``user_id`` order from the
    covering spell index, ``WALK_BATCH`` at a time, and only their enrolments are read, instead of
    the whole county's (a table page per learner: 1.3 s for 12,000 learners with a small buffer
    pool) sorted to take 50. The rows are the same: every row of a learner is in one batch.
    Larger regions (whose plan already walks the enrolments in order), deep pages and the minutes
    list (not a cohort of spells) take the plain ``OFFSET``.
    """
    skip = (page - 1) * size
    if figure == "minutes" or figures.child_level(q, scope) != "employer" or skip + size > WALK_LIMIT:
        return list(rows[skip : skip + size])
    items: list[CourseStatus] = []
    last = 0
    while len(items) < size:
        learners = figures.learners_at_end(scope, q).filter(user_id__gt=last).order_by("user_id")
        ids = list(learners.values_list("user_id", flat=True)[:WALK_BATCH])
        if not ids:
            break
        found = list(rows.filter(user_id__in=ids))
        last = ids[-1]
        items.extend(found[skip : skip + size - len(items)])
        skip = max(0, skip - len(found))
    return items


def learner_rows(scope: Scope, q: FigureQuery, figure: str, page: int, size: int) -> dict[str, Any]:
    """One page of the learners (learner × course) behind ``figure``, masked, with their facts."""
    rows = figure_rows(scope, q, figure).order_by("user_id", "course_key")
    total = figure_total(scope, q, figure, rows)
    items = page_of(scope, q, figure, rows, page, size)
    result = describe(items, q)
    return {
        "figure": figure,
        "total": total,
        "page": page,
        "page_size": size,
        "has_next": page * size < total,
        "learners": result,
    }


def learner_detail(user_id: int, q: FigureQuery) -> dict[str, Any]:
    """One learner's courses (status and minutes in the period) and region history, masked."""
    statuses = list(CourseStatus.objects.filter(user_id=user_id).order_by("course_key"))
    minutes = _minutes(q, [(user_id, s.course_key) for s in statuses])
    name, id_masked = identity_api.masked_names([user_id]).get(user_id, ("", ""))
    spells = list(RegionSpell.objects.filter(user_id=user_id).order_by("valid_from"))
    names = identity_api.division_names(c for s in spells for c in (s.city_code, s.county_code) if c)
    return {
        "learner_id": user_id,
        "name": name,
        "id_number": id_masked,
        "regions": [
            {
                "from": s.valid_from.isoformat(),
                "until": s.valid_to.isoformat() if s.valid_to else None,
                "region": " ".join(names.get(c, c) for c in (s.city_code, s.county_code) if c),
                "county_code": s.county_code,
                "employer": s.employer,
            }
            for s in spells
        ],
        "courses": [
            {
                "course": s.course_key,
                "enrolled_on": s.enrolled_on.isoformat() if s.enrolled_on else None,
                "unenrolled_on": s.unenrolled_on.isoformat() if s.unenrolled_on else None,
                "minutes_in_period": minutes.get((user_id, s.course_key), 0),
                "minutes_total": s.credited_ms // 60000,
                "examined_on": s.examined_on.isoformat() if s.examined_on else None,
                "best_score": s.best_score,
                "completed_on": s.completed_on.isoformat() if s.completed_on else None,
            }
            for s in statuses
        ],
    }
