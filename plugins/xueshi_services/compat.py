"""The only module of ``xueshi_services`` that imports edx-platform (or its libraries), lazily.

Checked against Verawood (``release/verawood.1``). The sandbox supplies functions of the same names
through ``settings.XUESHI_PLATFORM_SHIM`` (``sandbox/platform.py``: a search over its course table).
"""

from __future__ import annotations

from collections.abc import Iterable

from xueshi_core.api import platform_function


@platform_function
def search_courses(text: str, limit: int) -> list[tuple[str, str]]:
    """``(course key, display name)`` of catalogue courses matching ``text`` (all when empty).

    Wraps edx-search's ``search.api.course_discovery_search(search_term, size, from_)``, what the
    LMS's ``/search/course_discovery/`` (the catalogue's search box) calls; under Tutor the engine
    is Meilisearch (``SEARCH_ENGINE = "search.meilisearch.MeilisearchEngine"``), so learners get
    the catalogue's own ranking and only courses the catalogue shows (checked against edx-search's
    ``search/api.py``: ``course_discovery_search(search_term=None, size=20, from_=0,
    field_dictionary=None)``; hits are ``{"data": {"id", "content": {"display_name"}}}``).
    """
    from search.api import NoSearchEngineError, course_discovery_search

    try:
        found = course_discovery_search(search_term=text or None, size=limit, from_=0)
    except NoSearchEngineError:  # no SEARCH_ENGINE (course discovery off): the course overviews
        return _overview_titles(text, limit)
    rows = []
    for hit in found.get("results", []):
        data = hit.get("data", {})
        key = str(data.get("id", ""))
        if key:
            rows.append((key, str((data.get("content") or {}).get("display_name") or key)))
    return rows


def _overview_titles(text: str, limit: int) -> list[tuple[str, str]]:
    """Course runs whose display name contains ``text`` (``CourseOverview``): no search engine set."""
    from openedx.core.djangoapps.content.course_overviews.models import CourseOverview

    rows = CourseOverview.objects.order_by("display_name")
    if text:
        rows = rows.filter(display_name__icontains=text)
    return [(str(key), str(name or key)) for key, name in rows.values_list("id", "display_name")[:limit]]


@platform_function
def course_names(course_keys: Iterable[str]) -> dict[str, str]:
    """Display names of the given course runs (runs that do not exist are absent).

    Wraps ``openedx/core/djangoapps/content/course_overviews/models.py`` ``CourseOverview``.
    """
    from opaque_keys import InvalidKeyError
    from opaque_keys.edx.keys import CourseKey
    from openedx.core.djangoapps.content.course_overviews.models import CourseOverview

    keys = []
    for text in course_keys:
        try:
            keys.append(CourseKey.from_string(str(text)))
        except InvalidKeyError:
            continue
    rows = CourseOverview.objects.filter(id__in=keys).values_list("id", "display_name")
    return {str(key): str(name or key) for key, name in rows}
