"""Public Python API of ``xueshi_stats`` for other apps: training projects as plain data (ADR 0340).

The notifier tells a project's learners about it; it reads the plan and the audience here, never
the models, so the statistics tables can change without it noticing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from xueshi_core.days import china_day

from . import projects
from .models import TrainingProject

__all__ = ["ProjectPlan", "open_projects", "project_audience", "project_plan", "projects_targeting"]


@dataclass(frozen=True)
class ProjectPlan:
    """What a learner is told about a project."""

    code: str
    name: str
    organiser: str
    start: date
    end: date
    required_hours: str
    approved: bool


def project_plan(code: str) -> ProjectPlan | None:
    """The project's plan, or ``None`` when no project has this code."""
    project = TrainingProject.objects.filter(code=str(code)[:40]).first()
    if project is None:
        return None
    return ProjectPlan(
        code=project.code,
        name=project.name,
        organiser=project.organiser,
        start=project.start,
        end=project.end,
        required_hours=f"{project.required_hours.normalize():f}",
        approved=project.approved_at is not None,
    )


def project_audience(code: str, *, after: int = 0, limit: int = 500) -> list[int]:
    """User ids of the project's target learners above ``after``, ascending, at most ``limit``.

    Page with ``after`` = the last id of the previous page; an unknown project has nobody.
    """
    project = TrainingProject.objects.filter(code=str(code)[:40]).first()
    if project is None:
        return []
    rows = projects.audience(project).filter(user_id__gt=after).order_by("user_id")
    return list(rows.values_list("user_id", flat=True).distinct()[:limit])


def open_projects() -> list[str]:
    """Codes of approved projects that have not ended (the ones a newcomer should hear of)."""
    today = china_day(timezone.now())
    rows = TrainingProject.objects.filter(approved_at__isnull=False, end__gte=today).order_by("code")
    return list(rows.values_list("code", flat=True))


def projects_targeting(user_ids: list[int]) -> dict[int, list[str]]:
    """For these learners, the open projects whose audience (current regions) includes each.

    One query per open project (projects are few; learners come a roll-up page at a time).
    """
    found: dict[int, list[str]] = {}
    wanted = [int(u) for u in user_ids]
    for code in open_projects():
        project = TrainingProject.objects.get(code=code)
        members = projects.audience(project).filter(user_id__in=wanted).values_list("user_id", flat=True)
        for user_id in sorted(set(members)):
            found.setdefault(int(user_id), []).append(code)
    return found
