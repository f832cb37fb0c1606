"""The role → action table, the 三员分立 rule for Django's flags, course teams and the DRF class."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import RequestFactory, override_settings

from xueshi_core import permissions as p
from xueshi_core.api import HasAction, actions_of, may, scope_of

from ..permkit import account

pytestmark = pytest.mark.django_db
PERSONAL = {p.VIEW_LEARNERS, p.REVEAL_PERSONAL_DATA, p.EXPORT, p.VIEW_FACE_CHECKS, p.VIEW_FACE_IMAGES}
WRITES = {p.IMPORT_LEARNERS, p.MANAGE_FACE, p.EDIT_QUESTION_BANK}


def test_each_role_gets_its_actions_and_no_more() -> None:
    assert actions_of(account("op", "xueshi_operator")) == set(p.ACTIONS)
    auditor = actions_of(account("aud", "xueshi_auditor"))
    assert auditor >= PERSONAL and p.VIEW_AUDIT in auditor and not auditor & WRITES
    for group in ("xueshi_supervisor_province", "xueshi_supervisor_city", "xueshi_supervisor_county"):
        supervisor = {p.VIEW_LEARNERS, p.EXPORT, p.VIEW_STATISTICS, p.VIEW_SUSPICIOUS_IPS}
        supervisor |= {p.MANAGE_QUESTIONNAIRES, p.VIEW_QUESTIONNAIRE_RESULTS}  # surveys of their regions
        assert actions_of(account(group, group)) == supervisor
    assert actions_of(account("hr", "xueshi_employer_contact")) == {
        p.VIEW_LEARNERS,
        p.EXPORT,
        p.VIEW_STATISTICS,
    }


def test_django_flags_grant_no_personal_data_and_inactive_accounts_nothing() -> None:
    root = account("root", is_staff=True, is_superuser=True)
    assert actions_of(root) == {p.VIEW_STATUS, p.EDIT_QUESTION_BANK}
    assert scope_of(root).is_empty
    assert actions_of(account("gone", "xueshi_operator", is_active=False)) == set()
    assert scope_of(account("gone2", "xueshi_operator", is_active=False)).is_empty


def test_the_full_view_setting_moves_reveal_between_roles() -> None:
    with override_settings(XUESHI_PERSONAL_DATA_FULL_VIEW_GROUPS=["xueshi_operator"]):
        assert not may(account("aud", "xueshi_auditor"), p.REVEAL_PERSONAL_DATA)
        assert not may(account("aud2", "xueshi_auditor"), p.VIEW_FACE_IMAGES)
        assert may(account("op", "xueshi_operator"), p.REVEAL_PERSONAL_DATA)


def test_a_binding_confines_even_a_nationwide_role() -> None:
    assert scope_of(account("op", "xueshi_operator")).everything
    bound = scope_of(account("op-nj", "xueshi_operator", regions="320100"))
    assert not bound.everything and bound.regions == ("320100",)


def test_course_team_edits_its_own_bank_only() -> None:
    from django.contrib.auth.models import Group

    teacher = account("teacher")
    mine, other = "course-v1:Org+Mine+2026", "course-v1:Org+Other+2026"
    teacher.groups.add(Group.objects.get_or_create(name=f"course_staff:{mine}")[0])  # the shim's team
    assert may(teacher, p.EDIT_QUESTION_BANK, course_key=mine)
    assert not may(teacher, p.EDIT_QUESTION_BANK, course_key=other)
    assert not may(teacher, p.EDIT_QUESTION_BANK)
    with pytest.raises(ValueError):
        may(teacher, "drop_tables")


def test_drf_permission_reads_the_views_action() -> None:
    request = RequestFactory().get("/")
    view = SimpleNamespace(xueshi_action=p.VIEW_STATISTICS)
    request.user = account("sup", "xueshi_supervisor_city")
    assert HasAction().has_permission(request, view)
    request.user = account("root", is_staff=True, is_superuser=True)
    assert not HasAction().has_permission(request, view)


def _routes(patterns: list, prefix: str = "") -> list[tuple[str, object]]:
    from django.urls import URLPattern

    found = []
    for entry in patterns:
        route = prefix + str(entry.pattern).lstrip("^")
        if isinstance(entry, URLPattern):
            found.append((route, entry.callback))
        else:
            found.extend(_routes(entry.url_patterns, route))
    return found


def test_every_staff_route_goes_through_the_permission_model() -> None:
    """A new staff page, export or API cannot skip ``requires``: its route is listed here by shape."""
    from django.urls import get_resolver

    staff_words = ("/staff/", "staff/", "access/audit", "access/suspicious", "status", "payments/manage")
    ours = [
        (r, view)
        for r, view in _routes(get_resolver().url_patterns)
        if r.startswith(("xueshi", "api/xueshi"))
    ]
    staff = [(r, view) for r, view in ours if any(word in r for word in staff_words)]
    assert len(staff) >= 16, staff
    unguarded = [r for r, view in staff if getattr(view, "xueshi_action", None) not in p.ACTIONS]
    assert not unguarded
