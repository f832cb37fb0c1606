"""The crediting rule as pure functions: interval algebra and per-heartbeat credit bounds."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xueshi_studytime import crediting as c

pytestmark = pytest.mark.unit

intervals_st = st.lists(
    st.tuples(st.floats(0, 1000, allow_nan=False), st.floats(0, 1000, allow_nan=False)).map(
        lambda t: (min(t), max(t))
    ),
    max_size=30,
)


def covered_points(intervals, step=0.5):
    """Brute-force oracle: grid points covered by any interval (half-open)."""
    return {i for i in range(0, 2001) for s, e in intervals if s <= i * step < e}


@given(intervals_st)
def test_merge_is_sorted_disjoint_and_keeps_coverage(raw):
    merged = c.merge(raw)
    for (_s1, e1), (s2, _e2) in itertools.pairwise(merged):
        assert e1 < s2, "merged intervals must be disjoint and not touching"
    assert all(s < e for s, e in merged)
    assert covered_points(merged) == covered_points(raw)
    assert c.merge(merged) == merged, "merge is idempotent"


@given(intervals_st, intervals_st)
def test_merge_is_a_union_so_replays_add_nothing(a, b):
    ab = c.merge([*a, *b])
    assert c.merge([*ab, *a]) == ab
    assert c.measure(ab) <= c.measure(c.merge(a)) + c.measure(c.merge(b)) + 1e-6
    assert c.measure(ab) >= max(c.measure(c.merge(a)), c.measure(c.merge(b))) - 1e-6


@given(intervals_st, st.floats(0, 1000), st.floats(0, 1000), st.floats(0, 2000))
def test_extend_never_counts_an_overlap_twice(raw, x, y, budget):
    merged = c.merge(raw)
    start, end = min(x, y), max(x, y)
    gain, stop = c.extend(merged, start, end, budget)
    assert 0 <= gain <= budget + 1e-9
    assert start <= stop <= end
    after = c.merge([*merged, (start, stop)])
    assert c.measure(after) - c.measure(merged) == pytest.approx(gain, abs=1e-6)


def rules(**kw):
    kw.setdefault("duration", 600.0)
    return c.Rules(**kw)


def playing_state(**kw):
    base = {"seq": 1, "last_at": 1000.0, "position": 0.0, "playing": True, "visible": True}
    base.update(kw)
    return c.SessionState(**base)


def beat(seq=2, position=30.0, at=1030.0, playing=True, visible=True, rate=1.0, event="tick"):
    return c.Beat(seq, position, playing, visible, rate, event, at)


def test_normal_playback_is_credited_up_to_elapsed_time():
    out = c.judge(rules(), playing_state(), c.Coverage(), beat(), lease_held=True)
    assert out.reason is None and out.credited == pytest.approx(30.0)
    assert out.coverage.intervals == ((0.0, 30.0),) and out.coverage.frontier == 30.0


def test_position_slightly_ahead_of_server_time_is_clipped_not_refused():
    out = c.judge(
        rules(jitter=1.0), playing_state(slack=1.0), c.Coverage(), beat(position=33.0), lease_held=True
    )
    assert out.reason is None and out.credited == pytest.approx(31.0)
    assert out.position == pytest.approx(31.0) and out.state.slack == pytest.approx(0.0)


@pytest.mark.parametrize(
    ("state_kw", "beat_kw", "reason"),
    [
        ({}, {"seq": 1}, c.REPLAY),
        ({"challenge_id": "abc"}, {}, c.CHALLENGE_PENDING),
        ({}, {"at": 1000.0 + 62}, c.GAP),
        ({"rate": 2.0}, {}, c.SPEED),
        ({}, {"rate": 1.5}, c.SPEED),
        ({"visible": False}, {}, c.HIDDEN),
        ({"playing": False}, {}, c.PAUSED),
        ({}, {"position": 200.0}, c.SEEK),
        ({"lost": True}, {}, c.LEASE_LOST),
        ({"ended": "unload"}, {}, c.SESSION_ENDED),
    ],
)
def test_each_refusal_credits_nothing_and_keeps_coverage(state_kw, beat_kw, reason):
    cov = c.Coverage(((0.0, 10.0),), 10.0, 0.0)
    out = c.judge(rules(), playing_state(**state_kw), cov, beat(**beat_kw), lease_held=True)
    assert out.reason == reason and out.credited == 0
    assert out.coverage.intervals == cov.intervals and out.coverage.frontier == cov.frontier
    assert out.position <= cov.frontier


def test_lease_not_held_is_lease_lost():
    out = c.judge(rules(), playing_state(), c.Coverage(), beat(), lease_held=False)
    assert out.reason == c.LEASE_LOST and out.state.lost


def test_seek_after_completion_is_free_when_allowed():
    cov = c.Coverage(((0.0, 580.0),), 580.0, 0.0, completed=True)
    out = c.judge(
        rules(free_seek_after_complete=True),
        playing_state(),
        cov,
        beat(position=590.0, at=1001.0),
        lease_held=True,
    )
    assert out.reason is None and out.position == 590.0


def test_rewatching_is_accepted_but_earns_nothing():
    cov = c.Coverage(((0.0, 300.0),), 300.0, 0.0)
    out = c.judge(rules(), playing_state(position=100.0), cov, beat(position=130.0), lease_held=True)
    assert out.reason is None and out.credited == 0 and out.position == 130.0


def test_anti_idle_challenge_issued_after_threshold_and_blocks_credit():
    r = rules(anti_idle_seconds=60)
    state = playing_state(idle_credit=40.0, position=40.0)
    cov = c.Coverage(((0.0, 40.0),), 40.0, 40.0)
    out = c.judge(r, state, cov, beat(position=70.0), lease_held=True, challenge_id="ch1")
    assert out.challenge_issued and out.state.challenge_id == "ch1" and out.credited == pytest.approx(30)
    nxt = c.judge(r, out.state, out.coverage, beat(seq=3, position=100.0, at=1060.0), lease_held=True)
    assert nxt.reason == c.CHALLENGE_PENDING and nxt.credited == 0


def test_completion_flips_once_at_threshold():
    r = rules(duration=100.0, completion_coverage=0.95)
    cov = c.Coverage(((0.0, 70.0),), 70.0, 70.0)
    out = c.judge(r, playing_state(position=70.0), cov, beat(position=96.0), lease_held=True)
    assert out.completed_now and out.coverage.completed
    again = c.judge(r, out.state, out.coverage, beat(seq=3, position=100.0, at=1034.0), lease_held=True)
    assert not again.completed_now and again.coverage.completed


beat_st = st.tuples(
    st.floats(0.0, 90.0, allow_nan=False),  # server seconds since previous beat
    st.floats(-5.0, 700.0, allow_nan=False),  # reported position
    st.booleans(),
    st.booleans(),
    st.sampled_from([1.0, 1.25, 2.0]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(beat_st, min_size=1, max_size=60), st.sampled_from([(1.0,), (1.0, 1.25)]), st.floats(0, 3))
def test_session_credit_is_bounded_by_server_time_and_duration(beats, rates, jitter):
    r = rules(allowed_rates=rates, jitter=jitter, anti_idle_seconds=0)
    state = c.SessionState(seq=0, last_at=0.0, position=0.0, slack=jitter)
    cov = c.Coverage()
    now, total = 0.0, 0.0
    for i, (dt, pos, playing, visible, rate) in enumerate(beats, start=1):
        now += dt
        out = c.judge(r, state, cov, c.Beat(i, pos, playing, visible, rate, "tick", now), lease_held=True)
        elapsed = now - state.last_at
        assert out.credited <= elapsed * r.max_rate + state.slack + 1e-6
        assert out.credited >= 0
        before = c.measure(cov.intervals)
        state, cov = out.state, out.coverage
        assert c.measure(cov.intervals) - before == pytest.approx(out.credited, abs=1e-6), (
            "credit == new coverage"
        )
        total += out.credited
    assert total <= now * r.max_rate + jitter + 1e-6
    assert total <= r.duration + 1e-6
    assert total == pytest.approx(c.measure(cov.intervals), abs=1e-6)
