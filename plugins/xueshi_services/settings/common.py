"""Common settings for ``xueshi_services``: defaults an operator may override."""

from __future__ import annotations

from typing import Any


def plugin_settings(settings: Any) -> None:
    """Set this app's defaults where the deployment has not set them (read lazily by ``conf.py``)."""
    for name, value in (
        ("XUESHI_SERVICES_QUESTION_ANSWER_HOURS", 24),
        ("XUESHI_SERVICES_COMPLAINT_HOURS", 72),
        ("XUESHI_SERVICES_MAX_OPEN_TICKETS", 10),
    ):
        if not hasattr(settings, name):
            setattr(settings, name, value)
