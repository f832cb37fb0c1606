"""Course search for learners: the catalogue's search, narrowed by our training categories.

Keywords go to the platform's own search (``compat.search_courses``: Meilisearch under Tutor), so
the portal finds what the catalogue shows; category, personnel category and region are ours
(``TrainingCategory`` rows an operator keeps), applied to the hits. Each card carries its ratings.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from . import compat, ratings
from .data import RatingStats
from .models import TrainingCategory

MAX_HITS = 200


@dataclass(frozen=True)
class CourseCard:
    """A course as a learner chooses it: key, name and published ratings."""

    key: str
    title: str
    rating: RatingStats


def categories_for(personnel: str = "", region: str = "") -> list[TrainingCategory]:
    """Active training categories that fit a personnel category and region (blank fields fit all)."""
    rows = TrainingCategory.objects.filter(is_active=True)
    if personnel:
        rows = rows.filter(Q(personnel_category="") | Q(personnel_category=personnel))
    found = list(rows)
    if region:
        found = [c for c in found if not c.region_code or region.startswith(c.region_code)]
    return found


def cards(keys_and_titles: list[tuple[str, str]]) -> list[CourseCard]:
    """Cards with ratings for ``(key, title)`` pairs, in the given order."""
    stats = ratings.stats_for([k for k, _t in keys_and_titles])
    return [CourseCard(k, t, stats[k]) for k, t in keys_and_titles]


def search(text: str, category_id: int | None, personnel: str, region: str) -> list[CourseCard]:
    """Courses matching every given criterion, best catalogue match first."""
    hits = compat.search_courses(text, MAX_HITS)
    if category_id is not None or personnel or region:
        chosen = categories_for(personnel, region)
        if category_id is not None:
            chosen = [c for c in chosen if c.pk == category_id]
        allowed = {key for c in chosen for key in c.course_key_list()}
        hits = [(k, t) for k, t in hits if k in allowed]
    return cards(hits)


def named(course_keys: list[str]) -> list[tuple[str, str]]:
    """``(key, name)`` for keys an operator listed; unknown runs keep their key as the name."""
    names = compat.course_names(course_keys)
    return [(k, names.get(k, k)) for k in course_keys]
