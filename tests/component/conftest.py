"""Component-layer fixtures: Django on the sandbox settings against MariaDB and Redis."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings


@pytest.fixture(autouse=True)
def clean_redis() -> Iterator[None]:
    """Empty the test Redis database around each test (never database 0, which may be someone's)."""
    url = os.environ.get("XUESHI_REDIS_URL", "")
    if not url:
        yield
        return
    import redis

    client = redis.Redis.from_url(url)
    if client.connection_pool.connection_kwargs.get("db", 0) == 0:
        raise RuntimeError("XUESHI_REDIS_URL must name a test database other than 0")
    client.flushdb()
    yield
    client.flushdb()


@pytest.fixture
def demo_site(db: Any) -> dict[str, Any]:
    """The seeded sandbox: roles, demo course, demo users, enrollments."""
    from django.core.management import call_command

    from xueshi_core.demo import DEMO_COURSE_KEY, DEMO_PASSWORD

    call_command("seed_sandbox", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return {"course_key": DEMO_COURSE_KEY, "password": DEMO_PASSWORD, "media_root": settings.MEDIA_ROOT}
