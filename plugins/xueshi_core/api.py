"""Public Python API of ``xueshi_core``: the one entry point other packages and views use."""

from __future__ import annotations

from importlib.metadata import entry_points

from .compat import ensure_user_profile
from .data import Component
from .days import china_day, day_bounds, month_start, week_start
from .guards import HasAction, requires
from .permissions import (
    ACTIONS,
    EDIT_QUESTION_BANK,
    EXPORT,
    IMPORT_LEARNERS,
    MANAGE_FACE,
    MANAGE_MEDIA,
    MANAGE_SCOPES,
    REVEAL_PERSONAL_DATA,
    VIEW_AUDIT,
    VIEW_FACE_CHECKS,
    VIEW_FACE_IMAGES,
    VIEW_LEARNERS,
    VIEW_STATISTICS,
    VIEW_STATUS,
    VIEW_SUSPICIOUS_IPS,
    actions_of,
    can_view_personal_data,
    is_platform_staff,
    may,
    may_see_learner,
    may_study,
    scope_of,
)
from .roles import ROLES, ensure_roles
from .scopes import Scope
from .shim import platform_function
from .upserts import add_rows

DISTRIBUTION = "openedx-xueshi"
LMS, CMS, XBLOCK = "lms.djangoapp", "cms.djangoapp", "xblock.v1"

__all__ = [
    "ACTIONS",
    "EDIT_QUESTION_BANK",
    "EXPORT",
    "IMPORT_LEARNERS",
    "MANAGE_FACE",
    "MANAGE_MEDIA",
    "MANAGE_SCOPES",
    "REVEAL_PERSONAL_DATA",
    "ROLES",
    "VIEW_AUDIT",
    "VIEW_FACE_CHECKS",
    "VIEW_FACE_IMAGES",
    "VIEW_LEARNERS",
    "VIEW_STATISTICS",
    "VIEW_STATUS",
    "VIEW_SUSPICIOUS_IPS",
    "Component",
    "HasAction",
    "Scope",
    "actions_of",
    "add_rows",
    "can_view_personal_data",
    "china_day",
    "current_project_type",
    "day_bounds",
    "ensure_roles",
    "ensure_user_profile",
    "installed_components",
    "is_platform_staff",
    "may",
    "may_see_learner",
    "may_study",
    "month_start",
    "platform_function",
    "requires",
    "scope_of",
    "week_start",
]


def current_project_type() -> str:
    """Say whether this process is Studio or the LMS, the way the platform's plugin app decides."""
    from django.conf import settings

    return CMS if str(getattr(settings, "ROOT_URLCONF", "")).startswith("cms") else LMS


def _ours(group: str) -> list[tuple[str, str]]:
    found = []
    for ep in entry_points(group=group):
        if ep.dist is not None and ep.dist.metadata["Name"] == DISTRIBUTION:
            found.append((ep.name, ep.value))
    return sorted(found)


def installed_components() -> list[Component]:
    """List every Xueshi app and XBlock our distribution declares, and whether it is loaded here.

    A plugin app whose import fails is dropped by the platform with a single log line (trap 15);
    this is how an operator sees that from a page instead of a log.
    """
    from django.apps import apps
    from xblock.core import XBlock

    group = current_project_type()
    components = []
    for name, target in _ours(group):
        loaded = apps.is_installed(target.split(".")[0])
        detail = apps.get_app_config(name).verbose_name if loaded else "not in INSTALLED_APPS"
        components.append(Component(group, name, target, loaded, str(detail)))
    for name, target in _ours(XBLOCK):
        try:
            cls = XBlock.load_class(name)
            components.append(Component(XBLOCK, name, target, True, cls.__name__))
        except Exception as exc:
            components.append(Component(XBLOCK, name, target, False, f"{type(exc).__name__}: {exc}"))
    return components
