"""The header menu by role (``xueshi_core.menus``): each account sees exactly what it may open.

Real accounts in real role groups, real URL resolution and the real views: every link a menu
offers must answer 200 for that account, so the menu and the permission API can never disagree.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from xueshi_core import menus, permissions, roles

from ..permkit import account, signed_in

STUDY = {
    "courses",
    "real-name",
    "face-photo",
    "my-hours",
    "learning-archive",
    "my-orders",
    "certificates",
    "my-invoices",
    "portal",
    "my-study",
    "help",
    "my-notifications",
}


def _keys(user: object) -> dict[str, set[str]]:
    return {s["key"]: {link.key for link in s["links"]} for s in menus.menu_for(user)}


@pytest.fixture
def people(db: None) -> dict[str, User]:
    roles.ensure_roles()
    return {
        "learner": account("xuexi"),
        "operator": account("op", roles.OPERATOR, is_staff=True),
        "auditor": account("aud", roles.AUDITOR),
        "supervisor": account("jg", roles.SUPERVISOR_CITY, regions="320100"),
        "author": account("zuozhe", is_staff=True),
    }


def test_each_role_sees_exactly_its_pages(people: dict[str, User]) -> None:
    assert _keys(people["learner"]) == {"study": STUDY}
    assert _keys(people["operator"]) == {
        "study": {"courses", "portal"},
        "author": {"question-bank", "studio"},
        "manage": {
            "learners",
            "audit",
            "suspicious",
            "face-review",
            "status",
            "admin",
            "hour-rules",
            "external-hours",
            "orders",
            "statistics",
            "supervisor-accounts",
            "certificates-staff",
            "refund-requests",
            "reconciliation",
            "invoices",
            "tickets",
            "ratings",
            "portal-content",
            "questionnaires",
            "send-log",
            "reporting",
            "employer-orders",
        },
    }
    assert _keys(people["auditor"]) == {
        "study": {"courses", "portal"},
        "manage": {
            "learners",
            "audit",
            "suspicious",
            "status",
            "orders",
            "statistics",
            "refund-requests",
            "reconciliation",
            "invoices",
            "send-log",
            "reporting",
            "questionnaires",
        },
    }
    assert _keys(people["supervisor"]) == {
        "study": {"courses", "portal"},
        "manage": {"learners", "suspicious", "statistics", "questionnaires"},
    }
    assert _keys(people["author"]) == {
        "study": {"courses", "portal"},
        "author": {"question-bank", "studio"},
        "manage": {"status", "admin"},
    }
    anonymous = Client().get("/").wsgi_request.user
    assert menus.menu_for(anonymous) == []


def test_every_link_a_menu_offers_opens_for_that_account(people: dict[str, User]) -> None:
    refused = []
    for who, user in people.items():
        client = signed_in(user)
        for section in menus.menu_for(user):
            for link in section["links"]:
                status = client.get(link.url, follow=True).status_code
                if status != 200:
                    refused.append((who, link.url, status))
    assert refused == []


def test_the_header_marks_the_current_page_and_lists_the_menu(people: dict[str, User]) -> None:
    html = signed_in(people["auditor"]).get("/xueshi/status/").content.decode()
    assert 'id="xueshi-header"' in html and 'id="menu-audit"' in html
    assert 'id="menu-status" class="nav-link active"' in html and 'aria-current="page"' in html
    assert 'id="menu-face-review"' not in html and 'id="menu-question-bank"' not in html
    assert "xueshi_core/paragon/core.min.css" in html and "xueshi_core/paragon/light.min.css" in html
    elsewhere = signed_in(people["auditor"]).get("/no/such/page/").content.decode()
    assert 'id="menu-courses"' in elsewhere and "active" not in elsewhere  # nothing claims a 404


def test_an_entry_names_a_known_action_section_and_audience() -> None:
    with pytest.raises(ValueError, match="unknown action"):
        menus.MenuEntry("x", ("admin:index",), "X", menus.MANAGE, "see_everything")
    with pytest.raises(ValueError, match="section or audience"):
        menus.MenuEntry("x", ("admin:index",), "X", "elsewhere", permissions.VIEW_STATUS)


def test_an_unresolvable_entry_is_left_out_and_studio_follows_cms_base(
    people: dict[str, User], settings
) -> None:
    ghost = menus.MenuEntry("ghost", ("no_such_app:page",), "Ghost")
    assert menus.menu_for(people["learner"], entries=[ghost]) == []
    studio = [menu for menu in menus.CORE_ENTRIES if menu.key == "studio"]  # the LMS's own link
    assert menus.menu_for(people["author"], entries=studio) == []  # the sandbox has no CMS_BASE
    settings.CMS_BASE = "studio.example.cn"
    (section,) = menus.menu_for(people["author"], entries=studio)
    assert [link.url for link in section["links"]] == ["//studio.example.cn/home"]
    assert menus.menu_for(people["learner"], entries=studio) == []
