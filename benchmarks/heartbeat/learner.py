"""A simulated learner: what a real player sends, and a record of what the learner truly watched.

Pure (no I/O): the load generator asks ``next_call(now)`` for the learner's next request, sends it,
and hands the reply to ``on_reply``. Times are server seconds (``benchmarks.clock``). The learner
behaves like the web player (``xblocks/xueshi_video/frontend``): it opens a session through the
video block's ``open_session`` handler, beats ``play``, then a ``tick`` every heartbeat interval
with the position moving at rate 1, and now and then pauses, hides the tab, seeks back, tries to
skip ahead (refused), takes its own playback over from a second device, answers anti-idle prompts
(sometimes after being away), finishes a video and opens the next.

The record kept for the ledger check, per block (content seconds, not wall time):

- ``watched``: every stretch of content the player played while visible (what the learner saw);
- ``reported``: the stretches a beat reported while the session was live and nothing was pending,
  i.e. the seconds the crediting rule promises to credit;
- ``clipped``: reported stretches the server answered with an earlier position (it credits at
  most the server time between two beats' *arrivals*, so a beat that waited in a queue longer than
  the next one can be clipped, or refused as a skip). Like the API asks, the player then moves back
  to the server's position and watches that stretch again.

The check demands ``reported - clipped ⊆ credited ⊆ watched``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .intervals import union

HEARTBEATS = "/api/xueshi/studytime/v1/heartbeats"
ANSWER = "/api/xueshi/studytime/v1/challenges/answer"


@dataclass(frozen=True)
class Mix:
    """How often a learner does each thing, per tick (the rest of the time it keeps watching)."""

    pause: float = 0.03
    hide: float = 0.02
    seek_back: float = 0.02
    skip_ahead: float = 0.01
    takeover: float = 0.005
    away_on_prompt: float = 0.1


@dataclass(frozen=True)
class Block:
    """A video of the benchmark course."""

    course: str
    usage: str
    duration: float

    @property
    def open_path(self) -> str:
        """The block's ``open_session`` handler (as the LMS routes XBlock handlers)."""
        return f"/courses/{self.course}/xblock/{self.usage}/handler/open_session"


@dataclass
class Device:
    """One player (a tab or a phone): one playback session."""

    block: Block
    token: str = ""
    seq: int = 0
    position: float = 0.0
    at: float = 0.0
    playing: bool = False
    visible: bool = True
    challenge: str = ""
    superseded: bool = False
    frontier: float = 0.0


@dataclass
class Call:
    """One request a learner wants to make."""

    name: str
    path: str
    body: dict[str, Any]
    device: Device
    action: str
    position: float = 0.0
    reported_from: float | None = None


@dataclass
class Learner:
    """One account watching the course's videos one after another."""

    user_id: int
    blocks: list[Block]
    rng: random.Random
    mix: Mix = field(default_factory=Mix)
    heartbeat_seconds: float = 30.0
    block_index: int = 0
    device: Device | None = None
    old_device: Device | None = None
    plan: list[tuple[float, str, Device | None]] = field(default_factory=list)
    watched: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    reported: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    clipped: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    resyncs: int = 0
    credited_ms: int = 0
    beats: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    unanswered: int = 0
    failures: int = 0
    opened: bool = False
    # The person reading the challenge's picture (issue 15: the reply never carries the code).
    read_code: Callable[[str], str] | None = None

    def start(self, now: float) -> None:
        """Arrive at a random moment within one heartbeat interval and open a video."""
        self.block_index = self.rng.randrange(len(self.blocks))
        self.plan = [(now + self.rng.uniform(0, self.heartbeat_seconds), "open", None)]

    # -- scheduling ------------------------------------------------------------------------------
    def next_due(self) -> float:
        """Server time of the next thing this learner does."""
        return min(due for due, _a, _d in self.plan) if self.plan else float("inf")

    def _at(self, due: float, action: str, device: Device | None = None) -> None:
        self.plan.append((due, action, device))

    def next_call(self, now: float) -> Call:
        """Take the earliest planned action and turn it into a request."""
        self.plan.sort(key=lambda p: p[0])
        _due, action, device = self.plan.pop(0)
        if action == "open":
            block = self.blocks[self.block_index]
            return Call("open_session", block.open_path, {"client": "web"}, Device(block), "open")
        device = device or self.device
        assert device is not None
        if action == "answer":
            body = {"token": device.token, "challenge_id": device.challenge}
            if self.read_code is not None:
                body["code"] = self.read_code(device.challenge)
            return Call("answer", ANSWER, body, device, action)
        return self._beat(device, action, now)

    # -- heartbeats ------------------------------------------------------------------------------
    def _position_now(self, device: Device, now: float) -> float:
        if not device.playing:
            return device.position
        return min(device.block.duration, device.position + max(0.0, now - device.at))

    def _beat(self, device: Device, action: str, now: float) -> Call:
        position = round(self._position_now(device, now), 3)
        playing, visible, event = device.playing, device.visible, action
        target = position
        if action == "tick" and position >= device.block.duration - 1e-3:
            event, playing = "ended", False
        elif action == "pause":
            playing = False
        elif action == "play":
            playing, visible = True, True
        elif action == "show":
            visible = True
        elif action == "hide":
            visible = False  # the beat says "still playing"; the player pauses right after sending it
        elif action == "seek_back":
            event, target = "seek", round(self.rng.uniform(0, position), 3)
        elif action == "skip_ahead":  # well past the furthest point watched: a cheat, always refused
            event = "seek"
            start = max(position, device.frontier)
            target = round(min(device.block.duration, start + self.rng.uniform(60, 300)), 3)
        # A seek beat reports where the player jumped to, so the stretch before it is never reported.
        reported_from = self._record(device, position, reported=event != "seek")
        device.seq += 1
        device.position, device.at, device.visible = target, now, visible
        device.playing = playing and action != "hide"
        body = {
            "token": device.token,
            "seq": device.seq,
            "position": target,
            "playing": playing,
            "visible": visible,
            "rate": 1.0,
            "event": event,
        }
        self.beats += 1
        return Call("heartbeat", HEARTBEATS, body, device, action, target, reported_from)

    def _record(self, device: Device, position: float, *, reported: bool) -> float | None:
        """The stretch since the device's last beat: watched if it played visibly; reported if also due.

        A device whose learner moved to another one is nobody's screen any more: nothing it plays counts.
        """
        if device.superseded or not (device.playing and device.visible) or position <= device.position:
            return None
        stretch = (device.position, position)
        self.watched.setdefault(device.block.usage, []).append(stretch)
        if reported and not device.challenge:
            self.reported.setdefault(device.block.usage, []).append(stretch)
            return device.position
        return None

    # -- replies ---------------------------------------------------------------------------------
    def on_reply(self, call: Call, status: int, body: dict[str, Any] | None, now: float) -> None:
        """Update the player from the server's reply and plan what comes next."""
        body = body or {}
        if call.action == "open":
            self._opened(call, status, body, now)
        elif call.action == "answer":
            self._answered(call, status, body, now)
        else:
            self._beat_reply(call, status, body, now)

    def _opened(self, call: Call, status: int, body: dict[str, Any], now: float) -> None:
        if status != 200 or "token" not in body:
            self.failures += 1
            self._at(now + 5, "open")
            return
        self.opened = True
        device = call.device
        device.token = str(body["token"])
        device.frontier = float(body.get("frontier") or 0.0)
        device.position = float(body.get("resume_position") or 0.0)
        device.at = now
        self.heartbeat_seconds = float(body.get("heartbeat_seconds") or self.heartbeat_seconds)
        if self.device is not None and not self.device.superseded and self.device.block == device.block:
            # A takeover from a second device: the first one beats once more and is told to stop.
            self.device.superseded = True
            self.old_device = self.device
            self._keep_only_old_tick()
        self.device = device
        self._at(now + self.rng.uniform(0.5, 2.0), "play", device)

    def _keep_only_old_tick(self) -> None:
        old = self.old_device
        self.plan = [p for p in self.plan if p[2] is old and p[1] == "tick"]

    def _answered(self, call: Call, status: int, body: dict[str, Any], now: float) -> None:
        replacement = (body.get("challenge") or {}).get("id")
        if status == 400 and replacement:  # answered too late: a new code is shown, read it
            call.device.challenge = str(replacement)
            self._at(now + self.rng.uniform(3, 20), "answer", call.device)
            return
        if status != 200:
            self.failures += 1
        call.device.challenge = ""
        self._at(now + self.rng.uniform(0.5, 2.0), "play", call.device)

    def _beat_reply(self, call: Call, status: int, body: dict[str, Any], now: float) -> None:
        device = call.device
        if status != 200:
            self.failures += 1
            if device is self.device:
                self._at(now + 5, "open")
            return
        self.credited_ms += round(float(body.get("credited") or 0) * 1000)
        reason = body.get("reason") or "accepted"
        self.reasons[reason] = self.reasons.get(reason, 0) + 1
        if device is not self.device:  # the superseded device got its "stop"
            self.old_device = None
            return
        if body.get("stop"):
            self._at(now + 5, "open")
            return
        device.frontier = max(device.frontier, float(body.get("frontier") or 0.0))
        self._follow_server(call, device, float(body.get("position", call.position)), now)
        challenge = (body.get("challenge") or {}).get("id")
        if challenge and challenge == device.challenge:
            return  # every reply repeats a pending prompt; it is already on screen (and answered soon)
        if challenge:
            device.challenge = str(challenge)
            self._at(now + 0.3, "pause", device)
            away = self.rng.random() < self.mix.away_on_prompt
            self.unanswered += away
            self._at(now + (self.rng.uniform(60, 240) if away else self.rng.uniform(3, 20)), "answer", device)
            return
        self._plan_after(call, device, now)

    def _follow_server(self, call: Call, device: Device, kept: float, now: float) -> None:
        """Move to the server's position when it differs by more than 2 s (the API's contract)."""
        if call.reported_from is not None and kept < call.position - 0.001:
            stretch = (max(kept, call.reported_from), call.position)
            self.clipped.setdefault(device.block.usage, []).append(stretch)
        if abs(kept - call.position) > 2.0:
            device.position, device.at = kept, now
            self.resyncs += 1

    def _plan_after(self, call: Call, device: Device, now: float) -> None:
        hb, rng, mix = self.heartbeat_seconds, self.rng, self.mix
        if call.body.get("event") == "ended":
            self.block_index = (self.block_index + 1) % len(self.blocks)
            self._at(now + rng.uniform(3, 10), "open")
        elif call.action == "pause":
            # After a prompt the answer resumes play; after a hidden tab, coming back does.
            if not device.challenge and device.visible:
                self._at(now + rng.uniform(5, 90), "play", device)
        elif call.action == "hide":
            self._at(now + 0.1, "pause", device)
            self._at(now + rng.uniform(5, 60), "show", device)
        elif call.action == "show":
            self._at(now + rng.uniform(1, 3), "play", device)
        elif call.action in ("play", "seek_back", "skip_ahead") or call.action == "tick":
            self._after_tick(device, now, hb, rng, mix)

    def _after_tick(self, device: Device, now: float, hb: float, rng: random.Random, mix: Mix) -> None:
        roll = rng.random()
        edges = [
            ("pause", mix.pause),
            ("hide", mix.hide),
            ("seek_back", mix.seek_back),
            ("skip_ahead", mix.skip_ahead),
            ("takeover", mix.takeover),
        ]
        action = "tick"
        for candidate, share in edges:
            if roll < share:
                action = candidate
                break
            roll -= share
        if action == "skip_ahead" and device.block.duration - max(device.position, device.frontier) < 320:
            # Near the end a jump would land within the rule's seek tolerance (a few seconds past the
            # frontier are credited up to the time allowance): that is not a cheat to simulate.
            action = "tick"
        if action == "tick":
            self._at(now + hb, "tick", device)
        elif action in ("pause", "hide"):
            self._at(now + rng.uniform(1, hb - 1), action, device)
        elif action in ("seek_back", "skip_ahead"):
            self._at(now + 0.2, action, device)
        else:  # a second device opens this video; the first keeps ticking until told to stop
            self._at(now + hb, "tick", device)
            self._at(now + 0.3, "open")

    # -- result ----------------------------------------------------------------------------------
    def record(self) -> dict[str, Any]:
        """What the ledger check needs from this learner."""
        return {
            "user_id": self.user_id,
            "watched": {u: union(iv) for u, iv in self.watched.items()},
            "reported": {u: union(iv) for u, iv in self.reported.items()},
            "clipped": {u: union(iv) for u, iv in self.clipped.items()},
            "resyncs": self.resyncs,
            "credited_ms": self.credited_ms,
            "beats": self.beats,
            "reasons": self.reasons,
            "failures": self.failures,
            "unanswered": self.unanswered,
        }
