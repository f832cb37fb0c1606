"""Accounts in roles and scopes, and learners with real-name profiles in given regions (real rows).

Shared by the permission tests of every app: one way to build "a 3201xx supervisor and a 1101xx
learner" so each app's test states only what it checks.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, User
from django.test import Client

from xueshi_core.models import AccountScope
from xueshi_identity.models import IdentityProfile
from xueshi_identity.testing import make_resident_id

#: A fixed CSRF secret the tests put in the cookie and echo in the form or header.
CSRF_SECRET = "PermTestCsrfSecret0123456789abcd"


def account(username: str, *groups: str, regions: str = "", employers: str = "", **flags: Any) -> User:
    """A user in ``groups``; bound to ``regions``/``employers`` by an ``AccountScope`` when given."""
    user = User.objects.create_user(username, f"{username}@example.invalid", None, **flags)
    for group in groups:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    if regions or employers:
        AccountScope.objects.create(user=user, region_codes=regions, employers=employers)
    return user


def learner_in(username: str, region: tuple[str, str, str], employer: str, sequence: int) -> IdentityProfile:
    """A learner with a complete-looking profile in ``(province, city, county)``."""
    user = User.objects.create_user(username, f"{username}@example.invalid", None)
    profile = IdentityProfile(
        user=user,
        real_name=f"学员{sequence}",
        id_type="resident_id",
        province_code=region[0],
        city_code=region[1],
        county_code=region[2],
        employer=employer,
    )
    profile.id_number = make_resident_id(region[2], "19900307", sequence)
    profile.phone = f"139000{sequence:05d}"
    profile.save()
    return profile


def signed_in(user: User, *, csrf: bool = False) -> Client:
    """A client signed in as ``user``; ``csrf=True`` enforces CSRF checks like a real browser."""
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def with_csrf_cookie(client: Client) -> str:
    """Give the client a CSRF cookie, as a page with a form would; return the token to send back."""
    from django.conf import settings

    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    return CSRF_SECRET


def full_id_number(profile: IdentityProfile) -> str:
    """The learner's ID number in full, read back from the database (for asserting on pages)."""
    return str(IdentityProfile.objects.get(pk=profile.pk).id_number.reveal())
