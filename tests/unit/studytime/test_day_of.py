"""``day_of`` keeps the last China day's bounds (ADR 0708): the answer must be ``china_day``'s."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from xueshi_core.days import china_day
from xueshi_studytime.sessions import day_of

pytestmark = pytest.mark.unit

NEW_YEAR_SHANGHAI = 1767196800  # 2026-01-01 00:00 in Asia/Shanghai (16:00 UTC the day before)


def test_the_day_changes_at_midnight_in_china_not_in_utc() -> None:
    assert day_of(NEW_YEAR_SHANGHAI - 1) == "2025-12-31"
    assert day_of(NEW_YEAR_SHANGHAI) == "2026-01-01"
    assert day_of(NEW_YEAR_SHANGHAI - 0.001) == "2025-12-31"  # back again: the kept bounds are left


def test_any_walk_of_instants_gets_china_days_answer() -> None:
    rng = random.Random(15)
    instants = [NEW_YEAR_SHANGHAI + rng.uniform(-5, 5) * 86400 for _ in range(3000)]
    for epoch in sorted(instants) + instants:
        assert day_of(epoch) == china_day(datetime.fromtimestamp(epoch, tz=UTC)).isoformat()


def test_another_zone_is_not_answered_from_the_kept_day(settings) -> None:  # type: ignore[no-untyped-def]
    assert day_of(NEW_YEAR_SHANGHAI + 3600) == "2026-01-01"
    settings.XUESHI_TIME_ZONE = "UTC"
    assert day_of(NEW_YEAR_SHANGHAI + 3600) == "2025-12-31"
