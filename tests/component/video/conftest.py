"""Fixtures for the guarded video block's component tests: the seeded sandbox and its handler URLs."""

from __future__ import annotations

import json
from typing import Any

import pytest
from opaque_keys.edx.keys import UsageKey

from sandbox.lms.models import ContentBlock

LESSON1 = "block-v1:XueshiDemo+AQ101+2026+type@xueshi_video+block@video_lesson1"
LESSON2 = "block-v1:XueshiDemo+AQ101+2026+type@xueshi_video+block@video_lesson2"


def handler_url(usage: str, name: str) -> str:
    """The LMS-shaped handler URL the sandbox serves."""
    key = UsageKey.from_string(usage)
    return f"/courses/{key.course_key}/xblock/{usage}/handler/{name}"


def post_json(client: Any, usage: str, name: str, body: Any, **extra: Any) -> Any:
    """POST a JSON body to a block handler (the test client skips CSRF checks, as a same-origin page)."""
    raw = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(handler_url(usage, name), data=raw, content_type="application/json", **extra)


def set_fields(usage: str, **fields: Any) -> None:
    """Change a block's stored settings directly (what Studio would have saved)."""
    row = ContentBlock.objects.get(usage_key=UsageKey.from_string(usage))
    row.fields.update(fields)
    row.save(update_fields=["fields"])


@pytest.fixture
def learner(demo_site: dict[str, Any], client: Any) -> Any:
    """The test client signed in as the demo learner 张三."""
    assert client.login(username="zhangsan", password=demo_site["password"])
    return client


@pytest.fixture
def author(demo_site: dict[str, Any], client: Any) -> Any:
    """The test client signed in as the demo operator (staff)."""
    assert client.login(username="operator", password=demo_site["password"])
    return client


@pytest.fixture
def clock() -> Any:
    """The ledger's server clock for this test: it moves only when the test advances it."""
    from django.test import override_settings

    from ..ledgerkit import ManualClock

    manual = ManualClock()
    with override_settings(
        XUESHI_STUDYTIME_CLOCK=manual,
        XUESHI_STUDYTIME_FLUSH_INLINE=True,
        XUESHI_STUDYTIME_TOKEN_KEYS=["checkpoint-test-key"],
        LANGUAGE_CODE="en",
    ):
        yield manual
