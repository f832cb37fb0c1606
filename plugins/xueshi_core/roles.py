"""Xueshi roles, kept as Django groups so the LMS admin and Tutor init jobs can manage them.

Group names are stored in databases and referred to by operators: never rename one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Role:
    """One Xueshi role: its stable group name and what it is for."""

    group: str
    title_zh: str
    purpose: str


ROLES: tuple[Role, ...] = (
    Role("xueshi_operator", "平台管理员", "Runs the training platform: courses, learners, settings."),
    Role("xueshi_auditor", "审计员", "Reads study-time ledgers, refusals and access logs; changes nothing."),
    Role("xueshi_supervisor_province", "省级监管", "Reads statistics and reports for a province."),
    Role("xueshi_supervisor_city", "市级监管", "Reads statistics and reports for a city."),
    Role("xueshi_supervisor_county", "县级监管", "Reads statistics and reports for a county."),
)


OPERATOR, AUDITOR = "xueshi_operator", "xueshi_auditor"
SUPERVISOR_GROUPS = ("xueshi_supervisor_province", "xueshi_supervisor_city", "xueshi_supervisor_county")
#: Who may see full ID numbers, phones and face images (always audited). Supervisors see masked values.
DEFAULT_FULL_VIEW_GROUPS = (OPERATOR, AUDITOR)


def full_view_groups() -> tuple[str, ...]:
    """Groups allowed full views of personal data (setting ``XUESHI_PERSONAL_DATA_FULL_VIEW_GROUPS``)."""
    from django.conf import settings

    groups = getattr(settings, "XUESHI_PERSONAL_DATA_FULL_VIEW_GROUPS", None)
    return tuple(groups) if groups is not None else DEFAULT_FULL_VIEW_GROUPS


def has_role(user: Any, *groups: str) -> bool:
    """Tell whether an active, signed-in user belongs to one of ``groups``."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return bool(user.groups.filter(name__in=groups).exists())


def can_view_personal_data(user: Any) -> bool:
    """Tell whether ``user`` may see full (unmasked) personal data of others.

    Membership of a full-view group only; being Django staff or superuser is not enough, so that
    the separation of duties an auditor expects (三员分立) holds unless an operator grants the role.
    """
    return has_role(user, *full_view_groups())


def ensure_roles() -> list[str]:
    """Create any missing role group; return the names created (idempotent)."""
    from django.contrib.auth.models import Group

    created = []
    for role in ROLES:
        _, was_created = Group.objects.get_or_create(name=role.group)
        if was_created:
            created.append(role.group)
    return created
