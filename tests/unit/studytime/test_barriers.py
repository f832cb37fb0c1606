"""Checkpoint barriers in the crediting rule: nothing past an unpassed checkpoint, whatever the page does."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xueshi_studytime import barriers as b
from xueshi_studytime import crediting as c

pytestmark = pytest.mark.unit

RULES = c.Rules(duration=600.0, anti_idle_seconds=0, allowed_rates=(1.0, 1.25))


def beat(seq, position, at, playing=True, visible=True, rate=1.0, event="tick"):
    return c.Beat(seq, position, playing, visible, rate, event, at)


def run(beats, barriers, rules=RULES, state=None, cov=None):
    """Judge a list of ``(dt, position, playing, visible, rate)`` beats; return the outcomes."""
    state = state or c.SessionState(seq=0, last_at=0.0, position=0.0, slack=rules.jitter)
    cov = cov or c.Coverage()
    now, outs = state.last_at, []
    for i, (dt, pos, playing, visible, rate) in enumerate(beats, start=state.seq + 1):
        now += dt
        out = c.judge(
            rules, state, cov, beat(i, pos, now, playing, visible, rate), lease_held=True, barriers=barriers
        )
        outs.append(out)
        state, cov, barriers = out.state, out.coverage, out.barriers
    return outs


def test_a_beat_past_the_barrier_is_credited_up_to_it_and_makes_it_due():
    state = c.SessionState(seq=1, last_at=0.0, position=20.0, playing=True)
    cov = c.Coverage(((0.0, 20.0),), 20.0, 20.0)
    out = c.judge(RULES, state, cov, beat(2, 35.0, 15.0), lease_held=True, barriers=b.Barriers((30.0, 90.0)))
    assert out.reason is None and out.credited == pytest.approx(10.0)
    assert out.position == 30.0 and out.coverage.frontier == 30.0
    assert out.barriers.due == 30.0


def test_while_due_nothing_is_credited_and_the_position_stays_at_or_before_the_barrier():
    barriers = b.Barriers((30.0,), due=30.0)
    state = c.SessionState(seq=1, last_at=0.0, position=30.0, playing=True)
    cov = c.Coverage(((0.0, 30.0),), 30.0, 30.0)
    out = c.judge(RULES, state, cov, beat(2, 60.0, 30.0), lease_held=True, barriers=barriers)
    assert out.reason == c.CHECKPOINT_PENDING and out.credited == 0 and out.position == 30.0
    back = c.judge(
        RULES, out.state, cov, beat(3, 10.0, 31.0, playing=False), lease_held=True, barriers=barriers
    )
    assert back.reason == c.CHECKPOINT_PENDING and back.position == 10.0


def test_a_drag_past_the_barrier_is_a_seek_and_the_kept_position_never_passes_it():
    cov = c.Coverage(((0.0, 80.0),), 80.0, 80.0)  # watched before the author added the checkpoint
    state = c.SessionState(seq=1, last_at=0.0, position=10.0, playing=True)
    out = c.judge(RULES, state, cov, beat(2, 500.0, 1.0), lease_held=True, barriers=b.Barriers((50.0,)))
    assert out.reason == c.SEEK and out.position == 50.0


def test_a_learner_already_past_a_new_checkpoint_is_brought_back_to_it():
    cov = c.Coverage(((0.0, 80.0),), 80.0, 80.0)
    state = c.SessionState(seq=1, last_at=0.0, position=70.0, playing=True)
    out = c.judge(RULES, state, cov, beat(2, 75.0, 5.0), lease_held=True, barriers=b.Barriers((50.0,)))
    assert out.reason is None and out.credited == 0 and out.position == 50.0 and out.barriers.due == 50.0


def test_completion_waits_for_every_barrier():
    rules = c.Rules(duration=100.0, completion_coverage=0.9, anti_idle_seconds=0)
    cov = c.Coverage(((0.0, 80.0),), 80.0, 80.0)
    state = c.SessionState(seq=1, last_at=0.0, position=80.0, playing=True)
    held = c.judge(rules, state, cov, beat(2, 96.0, 16.0), lease_held=True, barriers=b.Barriers((97.0,)))
    assert held.credited == pytest.approx(16.0) and not held.coverage.completed
    # Passed (the block answered it): the next beat, even a paused one, completes.
    passed = b.passed(b.Barriers((97.0,), due=97.0), 97.0)
    assert passed == b.Barriers()
    nxt = c.judge(rules, held.state, held.coverage, beat(3, 96.0, 17.0, playing=False), lease_held=True)
    assert nxt.completed_now and nxt.coverage.completed


def test_rewind_requires_playing_the_span_again_by_server_time():
    rewound = b.rewound(b.Barriers((60.0, 120.0), due=60.0), 60.0, 30.0)
    assert rewound == b.Barriers((60.0, 120.0), None, 30.0, 30.0)
    cov = c.Coverage(((0.0, 60.0),), 60.0, 60.0)
    state = c.SessionState(seq=1, last_at=0.0, position=60.0, playing=False)
    # Seek back to 30, then jump to 59 and play one second: the barrier is reached but not due.
    outs = run(
        [(1, 30.0, False, True, 1.0), (1, 59.0, True, True, 1.0), (1, 60.0, True, True, 1.0)],
        rewound,
        state=state,
        cov=cov,
    )
    assert [o.reason for o in outs] == [None, c.PAUSED, None]  # a paused page that moves ahead
    assert outs[-1].position == 60.0 and outs[-1].barriers.due is None
    assert outs[-1].barriers.rewatched_to <= 31.0
    # Playing honestly from 30 to 60 with the server's clock makes it due again; no credit twice.
    state, cov = outs[0].state, outs[0].coverage
    honest = run(
        [(0.5, 30.0, True, True, 1.0), *[(10, 30.0 + 10 * k, True, True, 1.0) for k in (1, 2, 3)]],
        outs[0].barriers,
        state=state,
        cov=cov,
    )
    assert honest[-1].barriers.due == 60.0 and honest[-1].barriers.rewatch_from is None
    assert sum(o.credited for o in honest) == 0


def test_set_barriers_keeps_the_due_state_of_the_same_next_barrier():
    due = b.Barriers((30.0, 90.0), due=30.0)
    assert b.with_times(due, [90.0, 30.0]).due == 30.0
    assert b.with_times(due, [90.0]) == b.Barriers((90.0,))
    assert b.with_times(due, []) == b.Barriers()
    assert b.passed(due, 90.0) is None and b.rewound(due, 90.0, 0) is None


beat_st = st.tuples(
    st.floats(0.0, 70.0, allow_nan=False),  # server seconds since the previous beat (0: a tampered clock)
    st.floats(-5.0, 650.0, allow_nan=False),  # reported position: seeks back and forth
    st.booleans(),
    st.booleans(),
    st.sampled_from([1.0, 1.25, 2.0]),
)
times_st = st.lists(st.floats(5.0, 590.0, allow_nan=False), min_size=1, max_size=4)


@settings(max_examples=300, deadline=None)
@given(st.lists(beat_st, min_size=1, max_size=50), times_st)
def test_nothing_is_ever_credited_or_kept_past_the_first_unpassed_barrier(beats, times):
    barriers = b.Barriers(b.normalize(times))
    ceiling = barriers.ceiling
    outs = run(beats, barriers)
    total = 0.0
    for out in outs:
        assert out.position <= ceiling + 1e-9
        assert out.coverage.frontier <= ceiling + 1e-9
        assert all(end <= ceiling + 1e-9 for _start, end in out.coverage.intervals)
        assert not out.coverage.completed
        total += out.credited
        if out.barriers.due is not None:
            assert out.barriers.due == ceiling
    assert total <= ceiling + 1e-6
    elapsed = sum(dt for dt, *_ in beats)
    assert total <= elapsed * RULES.max_rate + RULES.jitter + 1e-6
    due_at = next((i for i, o in enumerate(outs) if o.barriers.due is not None), None)
    if due_at is not None:
        assert all(o.credited == 0 for o in outs[due_at + 1 :]), "no credit while a checkpoint is due"


@settings(max_examples=300, deadline=None)
@given(st.lists(beat_st, min_size=1, max_size=50), st.floats(0.0, 200.0), st.floats(210.0, 590.0))
def test_a_rewatch_advances_no_faster_than_server_time(beats, start, at):
    start, at = round(start, 3), round(at, 3)
    barriers = b.Barriers((round(at, 3),), None, round(start, 3), round(start, 3))
    cov = c.Coverage(((0.0, at),), at, start)
    state = c.SessionState(seq=0, last_at=0.0, position=start, slack=RULES.jitter)
    outs = run(beats, barriers, state=state, cov=cov)
    now = 0.0
    for (dt, *_), out in zip(beats, outs, strict=True):
        now += dt
        if out.barriers.rewatching:
            assert out.barriers.rewatched_to <= start + now * RULES.max_rate + 1e-6
        else:  # due again: the span was played in no less server time than its length
            assert start + now * RULES.max_rate >= at - b.REACH_TOLERANCE - 1e-6
        assert out.credited == 0
