"""Back-office queries (需求 002), masked and within the account's scope (ADR 0153).

By period, score band, region, course, category, name and ID number.

A query is a ``FigureQuery`` (period, region, employer, course, category: parsed by ``query``)
plus a score band and at most one person: ``name`` (exact real name) or ``id_number`` (exact,
through the identity app's keyed hash, never a scan of decrypted numbers). The rows are the
enrolments of the period's cohort (``figures.cohort``) inside the scope from ``scoping.confine``.
An ID number that belongs to a learner outside the scope is recorded as a refused try (core's
``RefusedAccess``) and answers exactly like a number that belongs to nobody: an empty list, so the
answer never tells whether someone elsewhere is registered under that number.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from xueshi_core import params
from xueshi_core.jsonbody import BadInput
from xueshi_core.scopes import Scope
from xueshi_identity import api as identity_api

from . import figures, scoping
from .models import CourseStatus
from .query import FigureQuery, parse

MAX_NAME = 64
MAX_ID_NUMBER = 40


@dataclass(frozen=True)
class Search:
    """A parsed query: the figure question, a score band and at most one person."""

    figure: FigureQuery
    score_min: int | None = None
    score_max: int | None = None
    name: str = ""
    id_type: str = ""
    id_number: str = ""

    def as_params(self) -> dict[str, str]:
        """The query string that asks this again (kept on an export job; the ID number is not)."""
        values = {
            **self.figure.as_params(),
            "score_min": "" if self.score_min is None else str(self.score_min),
            "score_max": "" if self.score_max is None else str(self.score_max),
            "name": self.name,
        }
        return {k: v for k, v in values.items() if v}


def _score(query: Mapping[str, Any], name: str) -> int | None:
    raw = query.get(name)
    if raw in (None, ""):
        return None
    return params.bounded_int(raw, name, low=0, high=100)


def parse_search(query: Mapping[str, Any]) -> Search:
    """Parse and check a query's parameters (a 400 with the reason for anything malformed)."""
    figure = parse(query)
    low, high = _score(query, "score_min"), _score(query, "score_max")
    if low is not None and high is not None and high < low:
        raise BadInput("invalid_score_band", "score_max is below score_min")
    name = params.query_text(query, "name", max_length=MAX_NAME).strip()
    number = params.query_text(query, "id_number", max_length=MAX_ID_NUMBER).strip()
    id_type = params.query_text(query, "id_type", max_length=20) or ("resident_id" if number else "")
    if id_type and id_type not in identity_api.id_types():
        raise BadInput("invalid_id_type", f"id_type must be one of {', '.join(identity_api.id_types())}")
    if name and number:
        raise BadInput("one_person", "ask by name or by ID number, not both")
    return Search(figure, low, high, name, id_type if number else "", number)


def people_of(request: Any, search: Search) -> list[int] | None:
    """The learners the query names (``None``: no person asked), refusing one outside the scope."""
    if search.id_number:
        found = identity_api.find_user_by_id_number(search.id_type, search.id_number)
        if found is None:
            return []
        if not scoping.may_see(request.user, found):
            scoping.refuse_learner(request, found, _("This learner is outside your scope."))
            return []
        return [found]
    if search.name:
        return identity_api.users_named(search.name)
    return None


def rows_of(scope: Scope, search: Search, people: list[int] | None) -> QuerySet[CourseStatus]:
    """The enrolments that answer ``search`` inside ``scope``, ordered by learner and course."""
    rows = figures.cohort(scope, search.figure)
    if people is not None:
        rows = rows.filter(user_id__in=people)
    if search.score_min is not None:
        rows = rows.filter(best_score__gte=search.score_min, examined_on__lte=search.figure.end)
    if search.score_max is not None:
        rows = rows.filter(best_score__lte=search.score_max, examined_on__lte=search.figure.end)
    return rows.order_by("user_id", "course_key")


def confined_rows(request: Any, search: Search) -> QuerySet[CourseStatus]:
    """Confine (the one scoping function), resolve the person, and return the answering rows."""
    scope = scoping.confine(request, search.figure.region, search.figure.employer)
    return rows_of(scope, search, people_of(request, search))
