"""The per-learner credit budget: all of a learner's sessions draw on one clock (ADR 0040).

The session rule in ``crediting.py`` bounds each playback session by its own server time. A
script that keeps opening sessions (or beats from several blocks, tabs or devices in turn) would
add those bounds up. So every learner also has a *credit clock*: the server time up to which the
learner's wall time has already been spent, plus one jitter bank shared by all sessions. A beat
may earn at most ``(now - max(clock, session's previous beat)) * rate + slack``; every changed
beat moves the clock to ``now`` and refills the bank only with time it did not use. Because the
spent stretches ``(max(clock, last_at), now]`` never overlap, over any interleaving of sessions

    sum(credit) <= (now - first beat) * fastest allowed rate + jitter.

The anti-idle count ("still there?") and a pending challenge live here too, so a new session
neither resets the count nor escapes an unanswered prompt. Pure: no Django, no Redis.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class LearnerBudget:
    """Hot per-learner state shared by all sessions (server epoch seconds, credit seconds)."""

    clock: float = 0.0
    slack: float = 0.0
    idle_credit: float = 0.0
    challenge_id: str = ""

    @classmethod
    def fresh(cls, jitter: float) -> LearnerBudget:
        """A learner with no record yet (or whose record lapsed): one jitter bank, nothing spent."""
        return cls(clock=0.0, slack=jitter)

    def elapsed(self, last_at: float, now: float) -> float:
        """Server seconds this learner may still spend on a beat whose session last beat at ``last_at``."""
        return max(0.0, now - max(self.clock, last_at))

    def allowance(self, last_at: float, now: float, rate: float) -> float:
        """The most a beat may earn: unspent server time at ``rate`` plus the shared jitter bank."""
        return self.elapsed(last_at, now) * rate + self.slack

    def spend(self, *, last_at: float, now: float, rate: float, jitter: float, gain: float) -> LearnerBudget:
        """The budget after a changed beat earned ``gain``: clock to ``now``, unused time refills the bank.

        ``gain`` never exceeds ``allowance``, so the bank stays in ``[0, jitter]``.
        """
        unused = self.elapsed(last_at, now) * rate + self.slack - gain
        return replace(
            self,
            clock=max(self.clock, now),
            slack=max(0.0, min(jitter, unused)),
            idle_credit=self.idle_credit + gain,
        )

    def pending(self, session_challenge: str) -> str:
        """The challenge that blocks a session: its own, else the learner's (issued in another session)."""
        return session_challenge or self.challenge_id
