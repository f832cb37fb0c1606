"""Scope on every stats endpoint: outside it a 403 with the reason, and the try recorded in core's audit.

The endpoint list is checked against the URL resolver, so a new stats URL fails here until it is
added (and so scope-tested).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from xueshi_core import roles
from xueshi_core.models import RefusedAccess

from ..permkit import account, signed_in

pytestmark = [pytest.mark.component, pytest.mark.django_db]

#: Every stats URL name, and whether it is about one learner (then asked with a learner id).
ENDPOINTS = {
    "dashboard": False,
    "learners": False,
    "learner": True,
    "api-figures": False,
    "api-learners": False,
    "api-learner": True,
    "query": False,
    "api-query": False,
}
#: The export job's URLs: scope-tested in ``test_queries_exports`` (asked by POST, or by a job's token).
EXPORT_ENDPOINTS = {"export-start", "export", "export-file", "api-export"}
#: The operators' supervisor-account pages (``MANAGE_SCOPES``): tested in ``test_supervisors``.
SUPERVISOR_ENDPOINTS = {"supervisors", "supervisor-new", "supervisor-edit"}
#: Training projects (their targets meet the scope, ``MANAGE_TRAINING_PROJECTS``): ``test_projects``.
PROJECT_ENDPOINTS = {"projects", "project", "project-new", "project-edit", "project-approve"}
PROJECT_ENDPOINTS |= {"api-projects", "api-project"}


def _stats_patterns() -> list[Any]:
    from xueshi_stats import urls

    return list(urls.urlpatterns)


def url(name: str, learner_id: int | None = None) -> str:
    return reverse(f"xueshi_stats:{name}", args=[learner_id] if learner_id is not None else [])


def test_every_stats_url_is_in_the_scope_tests() -> None:
    assert {p.name for p in _stats_patterns()} == set(
        ENDPOINTS
    ) | EXPORT_ENDPOINTS | SUPERVISOR_ENDPOINTS | PROJECT_ENDPOINTS


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
@pytest.mark.parametrize("region", ["350103", "350000", "350100", "350203"])
def test_a_county_supervisor_is_refused_other_regions_and_the_try_is_recorded(
    gulou_county: dict[str, Any], name: str, region: str
) -> None:
    learner = gulou_county["here"].id if ENDPOINTS[name] else None
    response = gulou_county["client"].get(url(name, learner), {"region": region})
    assert response.status_code == 403
    reason = response.json()["message"] if name.startswith("api-") else response.content.decode()
    assert f"Region {region} is outside your scope." in reason
    (row,) = RefusedAccess.objects.all()
    assert row.actor_id == gulou_county["supervisor"].id and region in row.target
    assert row.action == "view_statistics" and row.path == url(name, learner)


@pytest.mark.parametrize("name", [n for n, one in ENDPOINTS.items() if one])
def test_a_learner_elsewhere_is_refused_and_recorded(gulou_county: dict[str, Any], name: str) -> None:
    response = gulou_county["client"].get(url(name, gulou_county["elsewhere"].id))
    assert response.status_code == 403
    (row,) = RefusedAccess.objects.all()
    assert row.target == f"learner={gulou_county['elsewhere'].id}"


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_own_county_answers(gulou_county: dict[str, Any], name: str) -> None:
    learner = gulou_county["here"].id if ENDPOINTS[name] else None
    query = {"region": "350102", "period": "year", "date": "2026-06-01"}
    response = gulou_county["client"].get(url(name, learner), query)
    assert response.status_code == 200
    assert not RefusedAccess.objects.exists()
    if name == "api-figures":
        assert response.json()["figures"]["enrolled"] == 1, "only the learner of 鼓楼区"
    if name in ("api-learners", "api-query"):
        assert [r["learner_id"] for r in response.json()["learners"]] == [gulou_county["here"].id]


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_no_statistics_role_or_no_region_bound_is_refused(gulou_county: dict[str, Any], name: str) -> None:
    learner = gulou_county["here"].id if ENDPOINTS[name] else None
    unbound = signed_in(account("unbound_sup", roles.SUPERVISOR_CITY))
    assert unbound.get(url(name, learner)).status_code == 403
    plain = signed_in(gulou_county["elsewhere"])
    assert plain.get(url(name, learner)).status_code == 403
    assert RefusedAccess.objects.count() == 2
    anonymous = Client().get(url(name, learner))
    assert anonymous.status_code in (302, 401)


def test_the_scope_alone_is_the_default_region(gulou_county: dict[str, Any]) -> None:
    data = gulou_county["client"].get(url("api-figures"), {"period": "year", "date": "2026-06-01"}).json()
    assert data["figures"]["enrolled"] == 1 and data["level"] == "employer"


def test_an_employer_contact_sees_its_own_staff_only(gulou_county: dict[str, Any]) -> None:
    contact = signed_in(account("hr_contact", roles.EMPLOYER_CONTACT, employers="鼓楼电力公司"))
    data = contact.get(url("api-figures"), {"period": "year", "date": "2026-06-01"}).json()
    assert data["figures"]["enrolled"] == 1, "scope_here works at 鼓楼电力公司"
    refused = contact.get(url("api-figures"), {"employer": "思明软件园"})
    assert refused.status_code == 403 and refused.json()["error"] == "outside_scope"
    (row,) = RefusedAccess.objects.all()
    assert "思明软件园" in row.target


@pytest.mark.parametrize(
    ("codes", "where", "index"),
    [
        (("350102",), "`county_code` = 350102", "xss_daily_county_day"),
        (("350100",), "`city_code` = 350100", "xss_daily_city_day"),
        (("350000",), "`province_code` = 350000", "xss_daily_province_day"),
        (("350102", "350103"), "`county_code` IN (350102, 350103)", "xss_daily_county_day"),
    ],
)
def test_a_scope_filters_the_roll_ups_by_equality_on_its_level(
    codes: tuple[str, ...], where: str, index: str
) -> None:
    """Core's scope SQL names the one column of the code's level (ADR 0300), which an index serves."""
    from datetime import date

    from django.db import connection

    from xueshi_core.scopes import Scope
    from xueshi_stats.models import DailyStudy

    rows = Scope(regions=codes).filter_profiles(
        DailyStudy.objects.filter(day__range=(date(2026, 1, 1), date(2026, 12, 31)))
    )
    sql = str(rows.query)
    assert where in sql and "LIKE" not in sql and " OR " not in sql
    compiled, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + compiled, params)
        names = [c[0] for c in cursor.description]
        plan = dict(zip(names, cursor.fetchone(), strict=True))
    assert index in (plan["possible_keys"] or "").split(",")
