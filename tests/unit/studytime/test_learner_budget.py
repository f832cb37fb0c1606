"""The per-learner budget (ADR 0040) against the pure rule: any interleaving of sessions, blocks and
devices earns at most the learner's server time x the fastest allowed rate + one jitter bank.

The model below plays the heartbeat's part (store what ``judge`` returns when the beat changed
something) but grants every session the lease: the budget must hold even where the one-device
lease does not (a lapsed lease, a takeover raced by a stale tab)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xueshi_studytime import crediting as c
from xueshi_studytime.budget import LearnerBudget

pytestmark = pytest.mark.unit

JITTER = 1.0
# Blocks of one fastest rate (where any overlap of two sessions' server time shows at once) and
# blocks of mixed rates (where the bound is the fastest of the blocks played).
SAME_RATE = (
    c.Rules(duration=600.0, allowed_rates=(1.0, 1.5), anti_idle_seconds=0, jitter=JITTER),
    c.Rules(duration=300.0, allowed_rates=(1.5,), anti_idle_seconds=0, jitter=JITTER),
    c.Rules(duration=900.0, allowed_rates=(0.5, 1.0, 1.5), anti_idle_seconds=0, jitter=JITTER),
)
MIXED_RATES = (
    c.Rules(duration=600.0, anti_idle_seconds=0, jitter=JITTER),
    c.Rules(duration=300.0, allowed_rates=(1.0, 1.5), anti_idle_seconds=0, jitter=JITTER),
    c.Rules(duration=900.0, allowed_rates=(0.5, 1.0, 2.0), anti_idle_seconds=0, jitter=JITTER),
)


@dataclass
class Learner:
    """Hot state of one learner as the heartbeat keeps it: sessions, coverage per block, budget."""

    blocks: tuple[c.Rules, ...] = MIXED_RATES
    now: float = 1_000_000.0
    sessions: list[tuple[int, c.SessionState]] = field(default_factory=list)
    coverage: dict[int, c.Coverage] = field(default_factory=dict)
    budget: LearnerBudget = field(default_factory=lambda: LearnerBudget.fresh(JITTER))
    credited: float = 0.0

    def open(self, block: int, resume: float) -> None:
        """Open a session at ``resume`` (capped by the frontier) and press play, as the player does."""
        cov = self.coverage.get(block, c.Coverage())
        start = min(resume, cov.frontier)
        self.sessions.append((block, c.SessionState(seq=0, last_at=self.now, position=start, slack=JITTER)))
        self.beat(0, start, True, True, self.blocks[block].max_rate, "play")

    def beat(
        self, index: int, position: float, playing: bool, visible: bool, rate: float, event: str
    ) -> None:
        index = -1 - index % len(self.sessions)
        block, state = self.sessions[index]
        rules = self.blocks[block]
        beat = c.Beat(state.seq + 1, min(position, rules.duration), playing, visible, rate, event, self.now)
        cov = self.coverage.get(block, c.Coverage())
        out = c.judge(rules, state, cov, beat, lease_held=True, learner=self.budget, challenge_id="x")
        self.credited += out.credited
        if out.changed:
            ended = "unload" if event == "unload" else ""
            self.sessions[index] = (block, replace(out.state, ended=ended))
            self.coverage[block] = out.coverage
            self.budget = out.learner


def mostly(value, *others):
    """``value`` seven times in ten: a script claims the winning move far more often than not."""
    return st.sampled_from([value] * 7 + list(others))


opens = st.tuples(st.just("open"), st.integers(0, len(MIXED_RATES) - 1), st.floats(0, 900))
beats = st.tuples(
    st.just("beat"),
    st.integers(0, 3),  # which of the latest sessions beats
    st.one_of(mostly(10.0, 0.0, 30.0), st.floats(0, 40)),  # server seconds before the beat
    # claimed progress beyond what the session's own server time allows (a script claims it all)
    st.one_of(mostly(1.0, 0.0, 3.0), st.floats(-60, 120)),
    mostly(True, False),  # playing
    mostly(True, False),  # visible
    mostly(0.0, 0.5, 1.0, 1.5, 2.0, 4.0),  # claimed rate; 0 stands for the block's fastest
    mostly("tick", *c.EVENTS),
)


@pytest.mark.parametrize("blocks", [SAME_RATE, MIXED_RATES], ids=["same-rate", "mixed-rates"])
@settings(max_examples=300, deadline=None)
@given(ops=st.lists(st.one_of(opens, beats, beats, beats), min_size=1, max_size=60))
def test_any_interleaving_of_sessions_earns_at_most_wall_time_times_rate_plus_one_jitter(blocks, ops):
    learner = Learner(blocks)
    start, fastest = learner.now, 0.0
    for op in ops:
        if op[0] == "open":
            learner.open(op[1], op[2])
            fastest = max(fastest, blocks[op[1]].max_rate)
            continue
        _, index, wait, progress, playing, visible, rate, event = op
        if not learner.sessions:
            continue
        learner.now += wait
        block, state = learner.sessions[-1 - index % len(learner.sessions)]
        claim = state.position + (learner.now - state.last_at) * blocks[block].max_rate + progress
        learner.beat(index, max(0.0, claim), playing, visible, rate or blocks[block].max_rate, event)
    assert learner.credited <= (learner.now - start) * fastest + JITTER + 1e-6


def test_opening_sessions_at_one_instant_earns_one_jitter_bank_not_one_per_session():
    learner = Learner()
    for _ in range(10):
        learner.open(0, 600.0)  # resume at the frontier and press play, as the player does
        learner.beat(0, learner.sessions[-1][1].position + 1.0, True, True, 1.0, "tick")
    assert learner.credited == pytest.approx(JITTER)


def test_the_anti_idle_count_carries_over_to_the_next_session():
    rules = c.Rules(duration=600.0, anti_idle_seconds=60, jitter=JITTER)
    budget = LearnerBudget(clock=1000.0, slack=JITTER, idle_credit=45.0)
    state = c.SessionState(seq=1, last_at=1000.0, position=45.0, playing=True)  # a brand-new session
    beat = c.Beat(2, 75.0, True, True, 1.0, "tick", 1030.0)
    out = c.judge(rules, state, c.Coverage(((0.0, 45.0),), 45.0, 45.0), beat, lease_held=True, learner=budget)
    assert out.credited == pytest.approx(30.0)
    assert out.challenge_issued is False  # no challenge id offered: the count still grows
    assert out.learner.idle_credit == pytest.approx(75.0)
    issued = c.judge(
        rules,
        state,
        c.Coverage(((0.0, 45.0),), 45.0, 45.0),
        beat,
        lease_held=True,
        learner=budget,
        challenge_id="ab",
    )
    assert issued.challenge_issued and issued.learner.challenge_id == "ab" and issued.learner.idle_credit == 0


def test_a_challenge_pending_for_the_learner_blocks_and_is_adopted_by_another_session():
    rules = c.Rules(duration=600.0, anti_idle_seconds=60, jitter=JITTER)
    budget = LearnerBudget(clock=1000.0, slack=JITTER, challenge_id="cafe")
    state = c.SessionState(seq=1, last_at=1000.0, position=0.0, playing=True)
    beat = c.Beat(2, 30.0, True, True, 1.0, "tick", 1030.0)
    out = c.judge(rules, state, c.Coverage(), beat, lease_held=True, learner=budget, challenge_id="new")
    assert out.reason == c.CHALLENGE_PENDING and out.credited == 0
    assert out.state.challenge_id == "cafe" and out.learner.challenge_id == "cafe"
