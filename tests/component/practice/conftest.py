"""Fixtures of the practice block's component tests: the seeded sandbox, a movable server clock."""

from __future__ import annotations

import json
from typing import Any

import pytest
from opaque_keys.edx.keys import UsageKey

from sandbox.lms.models import ContentBlock

PRACTICE = "block-v1:XueshiDemo+AQ101+2026+type@xueshi_practice+block@practice_electrician"
EXAM = "block-v1:XueshiDemo+AQ101+2026+type@xueshi_practice+block@exam_safety"


class Clock:
    """A server clock the test moves (``XUESHI_QUESTIONBANK_CLOCK``)."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def post(client: Any, usage: str, name: str, body: Any = None) -> Any:
    """POST JSON to a block handler."""
    key = UsageKey.from_string(usage)
    url = f"/courses/{key.course_key}/xblock/{usage}/handler/{name}"
    raw = body if isinstance(body, str | bytes) else json.dumps(body or {})
    return client.post(url, data=raw, content_type="application/json")


def set_fields(usage: str, **fields: Any) -> None:
    """What Studio would have saved."""
    row = ContentBlock.objects.get(usage_key=UsageKey.from_string(usage))
    row.fields.update(fields)
    row.save(update_fields=["fields"])


@pytest.fixture
def clock(settings: Any) -> Clock:
    """The bank's server clock, under the test's control."""
    value = Clock()
    settings.XUESHI_QUESTIONBANK_CLOCK = value
    return value


@pytest.fixture
def learner(demo_site: dict[str, Any], client: Any) -> Any:
    """张三, signed in."""
    assert client.login(username="zhangsan", password=demo_site["password"])
    return client
