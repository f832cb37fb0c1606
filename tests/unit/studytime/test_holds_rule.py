"""The crediting rule's hold: a held beat earns nothing, whatever the player claims."""

from __future__ import annotations

import pytest

from xueshi_studytime.crediting import HOLD, Beat, Coverage, Rules, SessionState, judge
from xueshi_studytime.holds import effective, parse

pytestmark = pytest.mark.unit
RULES = Rules(duration=600.0, anti_idle_seconds=0)


def test_a_held_honest_beat_earns_nothing_and_keeps_the_position():
    state = SessionState(seq=1, last_at=0.0, position=30.0, playing=True)
    cov = Coverage(((0.0, 30.0),), 30.0, 30.0)
    beat = Beat(2, 60.0, True, True, 1.0, "tick", 30.0)
    out = judge(RULES, state, cov, beat, lease_held=True, on_hold=True)
    assert out.reason == HOLD and out.credited == 0 and out.position == 30.0
    free = judge(RULES, state, cov, beat, lease_held=True)
    assert free.reason is None and free.credited == 30


def test_parse_skips_unreadable_fields_and_effective_honours_not_before():
    raw = {"a": '{"nb": 10, "url": "/a/"}', "b": "not json", "c": '{"url": "/c/"}', "d": '{"nb": 50}'}
    holds = parse(raw)
    assert [h.kind for h in holds] == ["a", "d"]
    assert [h.kind for h in effective(holds, 20.0)] == ["a"]
