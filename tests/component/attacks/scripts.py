"""What each actor of the attack suite does on each simulated second (``tick(t)``)."""

from __future__ import annotations

from .actors import STEP, Actor

READING_SECONDS = 5  # a person needs a moment to read the picture and type the code
CHUNK = 256 * 1024  # what a browser buffers ahead per heartbeat: ~13 s of the suite's 20 kB/s video


class Honest:
    """A learner at 1x: the browser buffers the media, pauses for the challenge, a person answers."""

    def __init__(
        self, actor: Actor, *, speed: float = 1.0, reported_rate: float = 1.0, eyes: bool = True
    ) -> None:
        self.actor, self.speed, self.rate, self.eyes = actor, speed, reported_rate, eyes
        self.last = 0
        self.waiting_since: int | None = None
        self.fetched = 0

    def media(self) -> None:
        if self.eyes:
            self.actor.fetch_media(self.fetched, self.fetched + CHUNK - 1)
            self.fetched += CHUNK

    def tick(self, t: int) -> None:
        a = self.actor
        if t == 0:
            a.open()
            self.media()  # the player switched to the session's URL before playing (ADR 0053)
            a.beat(event="play", rate=self.rate)
            return
        if self.waiting_since is not None:
            if t - self.waiting_since >= READING_SECONDS:
                self.respond()
                self.waiting_since, self.last = None, t
                a.beat(event="play", rate=self.rate)
            return
        if t - self.last >= STEP:
            a.position += (t - self.last) * self.speed
            self.last = t
            self.media()
            a.beat(rate=self.rate)
            if a.pending:
                a.beat(event="pause", rate=self.rate, playing=False)
                self.waiting_since = t

    def respond(self) -> None:
        self.actor.answer(self.actor.read_picture())


class BlindScript(Honest):
    """Replays the player's protocol over HTTP: never fetches the video, answers with the id alone."""

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor, eyes=False)

    def respond(self) -> None:
        self.actor.answer(None)


class MultiSession:
    """Opens a new session every other second (taking its own lease over), claiming each one's jitter
    bank on top of the time it beats through: about 1.5x server time without a per-learner bound."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor

    def tick(self, t: int) -> None:
        a = self.actor
        if a.token:
            a.position += 2
            a.beat()
        if t % 2 == 0 and a.open():
            a.fetch_media(0, CHUNK - 1)  # each session's own signed URL: one range per session
            a.beat(event="play")
            a.position += 2
            a.beat()
        if a.pending:
            a.answer(None)


class Replayer:
    """Watches honestly for ``capture_until`` seconds, then resends the captured beats: exactly, then
    renumbered in a new session. ``gained`` is what the replays earned (the capture is not counted)."""

    def __init__(self, actor: Actor, capture_until: int) -> None:
        self.honest, self.until = Honest(actor), capture_until
        self.base = 0.0
        self.bodies: list[dict[str, object]] = []

    def tick(self, t: int) -> None:
        a = self.honest.actor
        if t < self.until:
            self.honest.tick(t)
            return
        if t == self.until:
            self.base, self.bodies = a.credited, list(a.captured)
        index = t - self.until
        if index < len(self.bodies):
            a.beat(body=self.bodies[index])
        elif index == len(self.bodies):
            a.open()
        elif index - len(self.bodies) - 1 < len(self.bodies):
            old = self.bodies[index - len(self.bodies) - 1]
            a.seq += 1
            a.beat(body={**old, "token": a.token, "seq": a.seq})

    @property
    def gained(self) -> float:
        return self.honest.actor.credited - self.base if self.bodies else 0.0


class FirstRangeOnly(Honest):
    """Fetches the first range of its session's media (enough for the player to start), then
    heartbeats on as a perfect player would, even reading the challenge pictures: the delivered
    bytes, not the heartbeats, bound what it earns (ADR 0053)."""

    def media(self) -> None:
        if self.fetched == 0:
            super().media()


class OtherSessionUrl(Honest):
    """Downloads the whole video, but under the URL signed for another session (its own first one,
    as a script that keeps one download and opens fresh sessions would): nothing counts for the
    session it heartbeats in."""

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor)
        self.stolen = ""

    def media(self) -> None:
        a = self.actor
        if not self.stolen:
            self.stolen = a.media_url
            a.open()  # a second session; its own URL is never fetched
        a.fetch_media(self.fetched, self.fetched + CHUNK - 1, url=self.stolen)
        self.fetched += CHUNK
