"""Fixtures for the real-name app: users in each role, valid profile data, a complete profile."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, User

from xueshi_identity.models import IdentityProfile, PersonnelCategory
from xueshi_identity.testing import make_resident_id


def _user(username: str, *groups: str, **extra: Any) -> User:
    # No password: tests sign in with force_login, and hashing one costs a second on a busy machine.
    user = User.objects.create_user(username, f"{username}@example.invalid", None, **extra)
    for group in groups:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


@pytest.fixture
def users(db: None) -> dict[str, User]:
    return {
        "learner": _user("xiaoming"),
        "other": _user("xiaohong"),
        "operator": _user("op", "xueshi_operator"),
        "auditor": _user("audit", "xueshi_auditor"),
        "supervisor": _user("sup", "xueshi_supervisor_city"),
        "staff": _user("staffer", is_staff=True),
    }


def profile_data(**overrides: str) -> dict[str, str]:
    data = {
        "real_name": "林小明",
        "id_type": "resident_id",
        "id_number": make_resident_id("350102", "19900307", 991),
        "phone": "13912345678",
        "province_code": "350000",
        "city_code": "350100",
        "county_code": "350102",
        "employer": "福州测试公司",
        "category": "professional_technical",
        "consent_id_number": "on",  # the separate PIPL consent box, ticked
    }
    data.update(overrides)
    return data


@pytest.fixture
def complete_profile(users: dict[str, User]) -> IdentityProfile:
    data = profile_data()
    profile = IdentityProfile(
        user=users["learner"],
        real_name=data["real_name"],
        id_type="resident_id",
        province_code="350000",
        city_code="350100",
        county_code="350102",
        employer=data["employer"],
        category=PersonnelCategory.objects.get(code="professional_technical"),
    )
    profile.id_number = data["id_number"]
    profile.phone = data["phone"]
    profile.save()
    return profile


@pytest.fixture(autouse=True)
def gate_on(settings: Any) -> None:
    """The gate as deployed (the test settings layer turns it off for other apps' tests)."""
    settings.XUESHI_IDENTITY_REQUIRED = True


@pytest.fixture(autouse=True)
def reference_data(db: None) -> None:
    """Divisions and categories (a transactional test elsewhere may have flushed the migration's rows)."""
    from xueshi_identity.divisions import ensure_reference_data

    ensure_reference_data()
