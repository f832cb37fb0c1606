"""The hour-account benchmark's smoke run, so it never rots: seed a small year, measure every way.

Speed is not asserted (the full run, ``python -m benchmarks.hours``, is not a timed test);
validity is: the seeded records give an account, and the cached accounts equal the computed one.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from benchmarks.hours.run import measure
from benchmarks.hours.seed import seed

pytestmark = [pytest.mark.component, pytest.mark.django_db]


def test_smoke_seed_and_measure() -> None:
    from xueshi_hours import accountcache

    accountcache.forget_local()
    user_id = seed("999", 2026, rows=730, courses=2)
    figures = measure(user_id, 2026, repeat=3)
    assert figures["lines"] == 730 + 2 + 5  # a video line per (course, day), completions, external hours
    # 730 (course, day) lines of 30 s: 0.5/45 = 0.0111 → 0.01 each (rounded down per line, ADR 0111),
    # 7.30 学时 of video, plus 5 × 2 external hours.
    assert Decimal(figures["earned_total"]) == Decimal("17.30")
    for mode in ("computed", "shared", "local"):
        assert figures[mode]["median_ms"] > 0
    assert figures["queries_cached"] <= 10
