"""Celery tasks of ``xueshi_core``."""

from __future__ import annotations

import socket
from dataclasses import asdict
from typing import Any

from celery import shared_task

from .api import installed_components


@shared_task(name="xueshi_core.tasks.report_components")
def report_components() -> dict[str, Any]:
    """Say which Xueshi apps and XBlocks a *worker* loaded.

    LMS workers run with their own settings and image; a plugin missing there fails silently
    until its first task. Operators (and ``tutor xueshi check``) can call this to find out.
    """
    components = installed_components()
    return {
        "hostname": socket.gethostname(),
        "all_loaded": all(c.loaded for c in components),
        "components": [asdict(c) for c in components],
    }


@shared_task(name="xueshi_core.tasks.purge_past_retention")
def purge_past_retention(dry_run: bool = False) -> dict[str, int]:
    """Daily: delete or pseudonymise what is past ``XUESHI_RETENTION_YEARS`` (``retention.purge``)."""
    from .retention import purge

    return purge(dry_run=dry_run)
