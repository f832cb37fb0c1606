"""Test helpers for anything that drives the study-time ledger: a server clock the test moves, and
the ledger's settings pointed at that clock and at a Redis key prefix of the test's own."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.test import override_settings

from xueshi_studytime import hotstate


class ManualClock:
    """Server time that moves only when the test says so (the ledger's ``XUESHI_STUDYTIME_CLOCK``)."""

    def __init__(self) -> None:
        self.now = float(int(time.time()))

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@contextmanager
def isolated_ledger(tag: str, clock: ManualClock, **settings: Any) -> Iterator[str]:
    """The ledger on ``clock`` under a fresh Redis key prefix (no FLUSHDB: others share the database).

    Extra ``settings`` are overridden too; the prefix's keys are deleted afterwards.
    """
    prefix = f"xst-{tag}-{uuid.uuid4().hex[:10]}-"
    with override_settings(
        XUESHI_STUDYTIME_REDIS_PREFIX=prefix,
        XUESHI_STUDYTIME_CLOCK=clock,
        XUESHI_STUDYTIME_FLUSH_INLINE=False,
        **settings,
    ):
        try:
            yield prefix
        finally:
            r = hotstate.client()
            for key in r.scan_iter(match=f"{{{prefix}*", count=500):
                r.delete(key)
