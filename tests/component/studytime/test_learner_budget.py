"""The per-learner budget and the session-opening throttle against real Redis and MariaDB (ADR 0040).

The heartbeat runs for real (``heartbeat.heartbeat``: token, pipelined read, pure rule, Lua
commit); only the server clock is the test's. Before the budget, a script that kept opening
sessions earned one jitter bank per session, and sessions whose leases had lapsed in turn added
their server times up.
"""

from __future__ import annotations

import pytest
from django.test import override_settings
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from xueshi_studytime.api import open_session
from xueshi_studytime.challenges import code_for
from xueshi_studytime.data import VideoPolicy
from xueshi_studytime.exceptions import LeaseRefused, SessionsThrottled
from xueshi_studytime.flusher import flush
from xueshi_studytime.heartbeat import BeatInput, HeartbeatRejected, heartbeat
from xueshi_studytime.models import IdleChallenge

from ..ledgerkit import ManualClock, isolated_ledger
from .conftest import ANSWER, USAGE, USAGE_2

pytestmark = [pytest.mark.component, pytest.mark.django_db]

USAGE_3 = "block-v1:Xueshi+ST101+2026+type@xueshi_video+block@third"
JITTER = 1.0
# (block, policy): one fastest rate for all, so any two sessions' overlapping server time shows.
BLOCKS = (
    (USAGE, VideoPolicy(duration=600.0, allowed_rates=(1.0, 1.5), anti_idle_seconds=0)),
    (USAGE_2, VideoPolicy(duration=300.0, allowed_rates=(1.5,), anti_idle_seconds=0)),
    (USAGE_3, VideoPolicy(duration=900.0, allowed_rates=(0.5, 1.0, 1.5), anti_idle_seconds=0)),
)
FASTEST = 1.5
NO_THROTTLE = {"XUESHI_STUDYTIME_OPEN_BURST": 0}


class Script:
    """A scripted client of one learner: opens sessions, beats claiming all its server time allows."""

    def __init__(self, user, clock: ManualClock) -> None:
        self.user, self.clock = user, clock
        self.sessions: list[dict] = []
        self.credited = 0.0

    def open(self, block: int, client: str = "web") -> None:
        usage, policy = BLOCKS[block]
        try:
            grant = open_session(user=self.user, usage_key=usage, policy=policy, client=client)
        except (LeaseRefused, SessionsThrottled):
            return
        session = {"token": grant.token, "seq": 0, "pos": grant.resume_position, "at": self.clock.now}
        session["rate"] = max(policy.allowed_rates)
        self.sessions.append(session)
        self.beat(0, 0.0, event="play")

    def beat(self, index: int, extra: float, *, playing=True, visible=True, rate=0.0, event="tick") -> dict:
        """Beat session ``-1 - index``, claiming its own server time x rate plus ``extra`` seconds."""
        s = self.sessions[-1 - index % len(self.sessions)]
        s["seq"] += 1
        claim = max(0.0, s["pos"] + (self.clock.now - s["at"]) * s["rate"] + extra)
        beat = BeatInput(s["token"], s["seq"], claim, playing, visible, rate or s["rate"], event)
        try:
            result = heartbeat(beat, self.user.id)
        except HeartbeatRejected:  # e.g. a claim beyond the video's end: a 400, nothing credited
            return {}
        s["pos"], s["at"] = result.position, self.clock.now
        self.credited += result.credited
        return {"credited": result.credited, "reason": result.reason, "challenge": result.challenge_id}


SPEND_JITTER = ("beat", 0, 0.0, 1.0, "tick")  # at once, one second beyond the session's server time
CHURN = [("open", 0, "web"), SPEND_JITTER, ("open", 1, "h5"), SPEND_JITTER, ("open", 2, "app"), SPEND_JITTER]

ops = st.lists(
    st.one_of(
        st.tuples(st.just("open"), st.integers(0, len(BLOCKS) - 1), st.sampled_from(("web", "h5", "app"))),
        *[
            st.tuples(
                st.just("beat"),
                st.sampled_from([0, 0, 0, 1, 2, 3]),  # which of the latest sessions (mostly the newest)
                st.sampled_from([0.0, 0.0, 0.0, 1.0, 10.0, 30.0, 45.0]),  # server seconds before it
                st.sampled_from([1.0, 1.0, 1.0, 0.0, 3.0, -20.0, 60.0]),  # extra claimed seconds
                st.sampled_from(["tick"] * 10 + ["pause", "seek", "hide", "rate", "unload", "ended"]),
            )
        ]
        * 3,
    ),
    min_size=1,
    max_size=20,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(policy=st.sampled_from(["takeover", "refuse"]), script=ops)
# The attack as measured: each new session (another block, another device) spends a fresh jitter bank.
@example(policy="takeover", script=CHURN)
@example(
    policy="refuse",
    script=[("open", 0, "web"), SPEND_JITTER, ("beat", 0, 0.0, 0.0, "unload")] * 3,
)
def test_no_interleaving_of_sessions_blocks_and_devices_earns_more_than_wall_time(learner, policy, script):
    clock = ManualClock()
    with isolated_ledger("budget", clock, XUESHI_STUDYTIME_LEASE_POLICY=policy, **NO_THROTTLE):
        client, start = Script(learner, clock), clock.now
        for op in script:
            if op[0] == "open":
                client.open(op[1], op[2])
            elif client.sessions:
                _, index, wait, extra, event = op
                clock.advance(wait)
                client.beat(index, extra, playing=event not in ("pause", "unload"), event=event)
        assert client.credited <= (clock.now - start) * FASTEST + JITTER + 0.001 * len(script)


def test_reopening_a_session_every_second_earns_no_more_than_wall_time(learner, clock):
    """The measured attack: a new session per second, each claiming its jitter bank and a second."""
    with override_settings(**NO_THROTTLE):
        script, start = Script(learner, clock), clock.now
        for _ in range(20):
            script.open(0)
            clock.advance(1)
            script.beat(0, 1.0)
    assert script.credited <= (clock.now - start) * FASTEST + JITTER + 0.1
    assert script.credited >= (clock.now - start) - 1  # and an honest pace is still credited in full


def test_the_still_there_count_carries_over_to_a_new_session(learner, clock, client):
    policy = VideoPolicy(duration=600.0, anti_idle_seconds=60)
    first = open_session(user=learner, usage_key=USAGE, policy=policy)
    seq = iter(range(1, 100))
    heartbeat(BeatInput(first.token, next(seq), 0.0, True, True, 1.0, "play"), learner.id)
    clock.advance(45)
    heartbeat(BeatInput(first.token, next(seq), 45.0, True, True, 1.0, "tick"), learner.id)
    second = open_session(user=learner, usage_key=USAGE_2, policy=policy)  # takes over: count goes on
    heartbeat(BeatInput(second.token, 1, 0.0, True, True, 1.0, "play"), learner.id)
    clock.advance(30)
    issued = heartbeat(BeatInput(second.token, 2, 30.0, True, True, 1.0, "tick"), learner.id)
    assert issued.credited == 30 and issued.challenge_id

    # The challenge is the learner's: a third session is refused until it is answered there.
    third = open_session(user=learner, usage_key=USAGE, policy=policy)
    heartbeat(BeatInput(third.token, 1, 45.0, True, True, 1.0, "play"), learner.id)
    clock.advance(30)
    held = heartbeat(BeatInput(third.token, 2, 75.0, True, True, 1.0, "tick"), learner.id)
    assert held.reason == "challenge_pending" and held.credited == 0
    assert held.challenge_id == issued.challenge_id
    client.force_login(learner)
    code = code_for(issued.challenge_id)  # the code a person reads in the challenge's picture
    answer = {"token": third.token, "challenge_id": issued.challenge_id, "code": code}
    assert client.post(ANSWER, answer, content_type="application/json").status_code == 200
    heartbeat(BeatInput(third.token, 3, 45.0, True, True, 1.0, "play"), learner.id)
    clock.advance(30)
    assert heartbeat(BeatInput(third.token, 4, 75.0, True, True, 1.0, "tick"), learner.id).credited == 30
    flush(claim_idle_ms=0)  # the takeover ended the issuing session first: answered all the same
    assert IdleChallenge.objects.get(challenge_id=issued.challenge_id).status == IdleChallenge.ANSWERED


def test_opening_is_throttled_after_a_burst_and_refills_with_server_time(learner, clock):
    policy = BLOCKS[0][1]
    with override_settings(XUESHI_STUDYTIME_OPEN_BURST=3, XUESHI_STUDYTIME_OPEN_REFILL_SECONDS=10):
        for _ in range(3):
            open_session(user=learner, usage_key=USAGE, policy=policy)
        with pytest.raises(SessionsThrottled) as refused:
            open_session(user=learner, usage_key=USAGE, policy=policy)
        assert refused.value.reason_code == "too_many_sessions" and refused.value.retry_after == 10
        clock.advance(4)
        with pytest.raises(SessionsThrottled) as again:
            open_session(user=learner, usage_key=USAGE, policy=policy)
        assert again.value.retry_after == 6
        clock.advance(6)
        open_session(user=learner, usage_key=USAGE, policy=policy)  # one token back
        with pytest.raises(SessionsThrottled):
            open_session(user=learner, usage_key=USAGE, policy=policy)


def test_the_default_throttle_lets_a_learner_reload_and_switch_lessons(learner, clock):
    for usage in (USAGE, USAGE_2, USAGE, USAGE, USAGE_3, USAGE, USAGE_2, USAGE, USAGE, USAGE):
        open_session(user=learner, usage_key=usage, policy=BLOCKS[0][1])
        clock.advance(1)
    clock.advance(6)
    open_session(user=learner, usage_key=USAGE, policy=BLOCKS[0][1])


def test_a_budget_spent_between_read_and_commit_makes_the_beat_judged_again(learner, clock, monkeypatch):
    """Another session's commit (another web process) spends the bank after this beat read it."""
    from xueshi_studytime import hotstate

    grant = open_session(user=learner, usage_key=USAGE, policy=BLOCKS[0][1])
    heartbeat(BeatInput(grant.token, 1, 0.0, True, True, 1.0, "play"), learner.id)
    clock.advance(30)
    real_script, raced = hotstate.script, []

    def racing_script(source):
        if source == hotstate.COMMIT_LUA and not raced:
            raced.append(True)
            key = hotstate.Keys(learner.id).learner
            hotstate.client().hset(key, mapping={"clock": repr(clock.now), "slack": "0"})
            hotstate.client().hincrby(key, "ver", 1)
        return real_script(source)

    monkeypatch.setattr(hotstate, "script", racing_script)
    result = heartbeat(BeatInput(grant.token, 2, 30.0, True, True, 1.0, "tick"), learner.id)
    assert raced and result.credited == 0  # re-read: the time was spent elsewhere
