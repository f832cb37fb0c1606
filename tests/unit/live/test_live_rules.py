"""Pure rules of live lessons: the schedule an author types, and the live crediting rule's geometry."""

from __future__ import annotations

import pytest

from xueshi_live.schedule import completion, epoch, live_length, validate
from xueshi_studytime.livecredit import judge_live, timeline
from xueshi_studytime.values import Beat, Coverage, Rules, SessionState

pytestmark = pytest.mark.unit


def test_times_without_an_offset_are_china_time_and_the_editor_checks_the_schedule():
    assert epoch("2026-12-24T19:00") == epoch("2026-12-24T11:00:00+00:00")
    assert epoch("not a time") is None
    clean, errors = validate(
        {
            "display_name": "直播",
            "stream_name": "a1",
            "starts_at": "2026-12-24T19:00",
            "ends_at": "2026-12-25T08:00",
        },
        str,
    )
    assert set(errors) == {"ends_at", "attendance_required"}  # 13 hours; no attendance share given
    assert clean["stream_name"] == "a1"


def test_completion_and_length():
    assert completion(48 * 60, 60 * 60, 0.8) == 1.0 and completion(24 * 60, 60 * 60, 0.8) == 0.5
    assert completion(10, 0, 0.8) == 0.0
    assert live_length(1000.0, 1000.0 + 1800) == 1800 + 3600


def test_a_segment_is_credited_only_where_it_overlaps_the_on_air_intervals():
    origin = 1_000_000.0
    rules = Rules(duration=7200, anti_idle_seconds=0, heartbeat_seconds=30, live_origin=origin)
    on_air = [(origin + 10, origin + 20), (origin + 25, None)]  # the second one still on air
    aired = timeline(on_air, origin, origin + 30)
    assert aired == ((10.0, 20.0), (25.0, 30.0))
    state = SessionState(seq=1, last_at=origin, position=0.0, playing=True, visible=True)
    beat = Beat(2, 12345.0, True, True, 1.0, "tick", origin + 30)  # the page's position is ignored
    out = judge_live(rules, state, Coverage(), beat, lease_held=True, on_air=aired)
    assert (
        out.credited == 15 and out.position == 30 and out.coverage.intervals == ((10.0, 20.0), (25.0, 30.0))
    )
    again = judge_live(rules, out.state, out.coverage, Beat(3, 0, True, True, 1.0, "tick", origin + 30.5),
                       lease_held=True, on_air=timeline(on_air, origin, origin + 30.5))  # fmt: skip
    assert again.credited == 0.5
    lost = judge_live(rules, out.state, out.coverage, Beat(3, 0, True, True, 1.0, "tick", origin + 40),
                      lease_held=False, on_air=aired)  # fmt: skip
    assert lost.credited == 0 and lost.reason == "lease_lost"
