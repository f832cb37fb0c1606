"""Settings of ``xueshi_services``, read when used (so ``override_settings`` works); all optional."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

#: Hours staff have to answer a question (需求 002: 及时答疑) and to settle a complaint.
DEFAULT_QUESTION_HOURS = 24
DEFAULT_COMPLAINT_HOURS = 72


def _hours(name: str, default: int) -> timedelta:
    value = getattr(settings, f"XUESHI_SERVICES_{name}", default)
    return timedelta(hours=max(1, int(value)))


def question_target() -> timedelta:
    """``XUESHI_SERVICES_QUESTION_ANSWER_HOURS``: time to answer a question, or a follow-up (24)."""
    return _hours("QUESTION_ANSWER_HOURS", DEFAULT_QUESTION_HOURS)


def complaint_target() -> timedelta:
    """``XUESHI_SERVICES_COMPLAINT_HOURS``: time to resolve or reject a complaint (72)."""
    return _hours("COMPLAINT_HOURS", DEFAULT_COMPLAINT_HOURS)


def max_open_tickets() -> int:
    """``XUESHI_SERVICES_MAX_OPEN_TICKETS``: a learner's tickets waiting for staff at once (10)."""
    return int(getattr(settings, "XUESHI_SERVICES_MAX_OPEN_TICKETS", 10))
