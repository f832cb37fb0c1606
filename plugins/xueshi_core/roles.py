"""Xueshi roles, kept as Django groups so the LMS admin and Tutor init jobs can manage them.

What each role may do, and over which learners, is decided in ``permissions`` (ADR 0010).

Group names are stored in databases and referred to by operators: never rename one.
"""

from __future__ import annotations

from dataclasses import dataclass


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
    Role(
        "xueshi_employer_contact",
        "单位培训联系人",
        "Follows the training of the staff of the employers the account is bound to; masked data only.",
    ),
    Role(
        "xueshi_employer_purchaser",
        "单位采购人",
        "Orders and pays courses for the staff of the employers the account is bound to (one order).",
    ),
)


OPERATOR, AUDITOR = "xueshi_operator", "xueshi_auditor"
SUPERVISOR_PROVINCE, SUPERVISOR_CITY, SUPERVISOR_COUNTY = (
    "xueshi_supervisor_province",
    "xueshi_supervisor_city",
    "xueshi_supervisor_county",
)
SUPERVISOR_GROUPS = (SUPERVISOR_PROVINCE, SUPERVISOR_CITY, SUPERVISOR_COUNTY)
EMPLOYER_CONTACT = "xueshi_employer_contact"
EMPLOYER_PURCHASER = "xueshi_employer_purchaser"
#: Who may see full ID numbers, phones and face images (always audited). Supervisors see masked values.
DEFAULT_FULL_VIEW_GROUPS = (OPERATOR, AUDITOR)


def full_view_groups() -> tuple[str, ...]:
    """Groups allowed full views of personal data (setting ``XUESHI_PERSONAL_DATA_FULL_VIEW_GROUPS``)."""
    from django.conf import settings

    groups = getattr(settings, "XUESHI_PERSONAL_DATA_FULL_VIEW_GROUPS", None)
    return tuple(groups) if groups is not None else DEFAULT_FULL_VIEW_GROUPS


def ensure_roles() -> list[str]:
    """Create any missing role group; return the names created (idempotent)."""
    from django.contrib.auth.models import Group

    created = []
    for role in ROLES:
        _, was_created = Group.objects.get_or_create(name=role.group)
        if was_created:
            created.append(role.group)
    return created
