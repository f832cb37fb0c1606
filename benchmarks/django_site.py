"""Start Django in a benchmark process: the benchmark settings on their own MariaDB database, migrated.

In-process benchmarks (reporting, notifications) run the apps' code as a Celery worker would,
against a database of their own that is created on first use and kept between runs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def start(db_url: str, redis_url: str) -> None:
    """``benchmarks.settings`` with production plugin layers on ``db_url``; create, set up, migrate."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="benchmarks.settings",
        XUESHI_SETTINGS_TYPE="production",
        XUESHI_DB_URL=db_url,
        XUESHI_REDIS_URL=redis_url,
    )
    sys.path.insert(0, str(REPO))
    from benchmarks.heartbeat.processes import create_database

    create_database(db_url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
