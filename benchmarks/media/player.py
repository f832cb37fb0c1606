"""Simulated HLS players, as locust users: a learner of the guarded path, and the unprotected peer.

A ``GuardedLearner`` is a signed-in learner watching the demo lesson the way the player does it:
the login form (CSRF cookie, password: PBKDF2 and the one-device rule paid as in production),
``open_session`` on the video block (the grant carries the signed master playlist), the master and
the chosen rendition's playlist (each rewritten by Django with URLs signed for the session), the
AES-128 key, then one segment per segment length with heartbeats every heartbeat interval, as
hls.js and the player's clock do once the buffer is full. The first ``BUFFER_AHEAD`` segments are
fetched back to back (the player filling its buffer). At the end of the lesson it seeks to the
start (a ``seek`` beat) and goes on: a learner re-watching.

A ``PlainLearner`` fetches the very same files at the same pace from the same public Caddy's plain
site (no session, no check): what a site that does not protect its video serves.

Time is compressed by ``clock_factor`` (the server's ledger runs on the same fast clock): one
simulated learner asks for ``clock_factor`` learners' segments. A segment's request is timed to
its first byte (``segment``: locust's time with ``stream=True``) and to its last (``segment
(whole)``); a request that starts later than its schedule by more than a segment length counts as
``late`` (the server fell behind the players, which would drain their buffers).
"""

from __future__ import annotations

import itertools
import json
import time
from typing import Any
from urllib.parse import urlsplit

import gevent
import gevent.lock
import gevent.pool
from locust import FastHttpUser, constant, task

from .caddy import HOST

CONFIG: dict[str, Any] = {}
COUNTS = {"late": 0, "scheduled": 0, "bytes": 0, "playing": 0, "gave_up": 0}
#: Why players could not start (sign-in, session, playlists), kept across the statistics' reset.
START_FAILURES: list[str] = []
_ACCOUNTS: dict[str, Any] = {}
BUFFER_AHEAD = 3
HEARTBEATS = "/api/xueshi/studytime/v1/heartbeats"
ANSWER = "/api/xueshi/studytime/v1/challenges/answer"


def _uris(text: str) -> list[str]:
    return [line for line in text.splitlines() if line and not line.startswith("#")]


class _Player(FastHttpUser):
    """The shared pacing: one segment per ``segment_seconds / clock_factor`` real seconds."""

    abstract = True
    wait_time = constant(0)
    # Tutor's Caddy picks the site by host name (LMS_HOST); the sockets go to loopback.
    default_headers = {"Host": HOST}
    network_timeout = 60.0
    connection_timeout = 10.0

    urls: list[str] = []
    # Requests in flight at once per player (geventhttpclient's pool; its default is 10).
    concurrency = 64

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.in_flight = gevent.pool.Group()

    def segment_urls(self) -> list[str]:
        """The rendition's segment URLs, set up by ``on_start`` (none: the start failed)."""
        return self.urls

    def beat(self, event: str, position: float) -> None:
        """The guarded player's heartbeat (the plain site has none)."""

    @task
    def watch(self) -> None:
        """Play the lesson over and over at the pace of ``clock_factor`` learners.

        After the buffer's first segments (back to back), each request is started at its time in
        its own greenlet (open loop): the player stands for many learners, whose requests do not
        wait for one another, so a slow server shows as slow answers, never as fewer questions.
        """
        urls = self.segment_urls()
        if not urls:
            gevent.sleep(1.0)
            return
        factor = float(CONFIG.get("clock_factor", 1.0))
        length = float(CONFIG.get("segment_seconds", 4.0))
        beat_every = float(CONFIG.get("heartbeat_seconds", 30.0))
        position, next_beat, due = 0.0, beat_every, time.monotonic()
        COUNTS["playing"] += 1
        for index in range(BUFFER_AHEAD):
            self.fetch(urls[index % len(urls)])
        for index in itertools.count(BUFFER_AHEAD):
            due += length / factor
            wait = due - time.monotonic()
            COUNTS["scheduled"] += 1
            if wait > 0:
                gevent.sleep(wait)
            elif -wait > length / factor:
                COUNTS["late"] += 1  # the generator itself fell behind
            if index % len(urls) == 0:
                position, next_beat = 0.0, beat_every
                self.in_flight.spawn(self.beat, "seek", 0.0)
            self.in_flight.spawn(self.fetch, urls[index % len(urls)])
            position += length
            if position >= next_beat:
                self.in_flight.spawn(self.beat, "tick", position)
                next_beat += beat_every

    def on_stop(self) -> None:
        self.in_flight.kill(block=False)

    def fetch(self, url: str) -> None:
        """One segment: time to first byte (locust's, streamed), then the whole body."""
        start = time.perf_counter()
        with self.client.get(url, name="segment", stream=True, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} {(response.text or '')[:80]}")
                return
            try:
                size = len(response.content or b"")
            except Exception as exc:  # a cut connection is the request's failure
                response.failure(f"body: {exc}")
                return
            response.success()
        COUNTS["bytes"] += size
        self.environment.events.request.fire(
            request_type="GET",
            name="segment (whole)",
            response_time=(time.perf_counter() - start) * 1000,
            response_length=size,
            exception=None,
            context={},
        )


def next_account() -> dict[str, str]:
    if "cycle" not in _ACCOUNTS:
        _ACCOUNTS["cycle"] = itertools.cycle(CONFIG["accounts"])
    return dict(next(_ACCOUNTS["cycle"]))


class GuardedLearner(_Player):
    """A signed-in learner, a playback session, URLs signed for it; Django checks every segment."""

    def on_start(self) -> None:
        self.urls: list[str] = []
        self.token, self.seq, self.beating = "", 0, gevent.lock.Semaphore()
        self.begin()
        if not self.urls:
            COUNTS["gave_up"] += 1

    def begin(self) -> None:
        """Sign in, open the playback session, fetch the playlists and the key, as the player does."""
        self.client.cookiejar.clear()
        self.client.get("/login/", name="sign-in form")
        form = {"csrfmiddlewaretoken": self.csrf(), "next": "/", **next_account()}
        with self.client.post(
            "/login/", data=form, name="sign-in", allow_redirects=False, catch_response=True
        ) as signed_in:
            if signed_in.status_code != 302:
                START_FAILURES.append(f"sign-in: {signed_in.status_code}")
                signed_in.failure(f"{signed_in.status_code}")
                return
        usage = CONFIG["usage"]
        handler = f"/courses/{CONFIG['course']}/xblock/{usage}/handler/open_session"
        opened = self.post(handler, {"client": "web"}, "open_session")
        sources = [s for s in opened.get("sources") or [] if s.get("profile") == "hls"]
        if not sources:
            START_FAILURES.append(f"open_session: no HLS source in {sorted(opened)}")
            return
        self.token = str(opened.get("token") or "")
        # The player beats "play" as it starts loading: the lease lives 2.5 beats of the learner's
        # time, which the compressed clock makes short, so the playlists must not come first.
        self.beat("play", 0.0)
        master = self.text(sources[0]["url"], "playlist (master)")
        chosen = [u for u in _uris(master) if f"/{CONFIG['rendition']}/" in urlsplit(u).path]
        if not chosen:
            return
        variant = self.text(chosen[0], "playlist (rendition)")
        for line in variant.splitlines():
            if line.startswith("#EXT-X-KEY:") and 'URI="' in line:
                self.client.get(line.split('URI="', 1)[1].split('"', 1)[0], name="key")
        self.urls = _uris(variant)

    def csrf(self) -> str:
        for cookie in self.client.cookiejar:
            if cookie.name == "csrftoken":
                return str(cookie.value)
        return ""

    def text(self, url: str, name: str) -> str:
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                START_FAILURES.append(f"{name}: {response.status_code} {(response.text or '')[:80]}")
                response.failure(f"{response.status_code}")
                return ""
            return response.text or ""

    def post(self, path: str, body: dict[str, Any], name: str) -> dict[str, Any]:
        headers = {"X-CSRFToken": self.csrf(), "Content-Type": "application/json"}
        data = json.dumps(body)
        with self.client.post(path, data=data, headers=headers, name=name, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code} {(r.text or '')[:80]}")
                return {}
            reply = json.loads(r.text or "{}")
            return reply if isinstance(reply, dict) else {}

    def beat(self, event: str, position: float) -> None:
        if not self.token:
            return
        with self.beating:  # one beat at a time, in order, as the player's clock sends them
            self._beat(event, position)

    def _beat(self, event: str, position: float) -> None:
        self.seq += 1
        body = {"token": self.token, "seq": self.seq, "position": position, "playing": True,
                "visible": True, "rate": 1.0, "event": event}  # fmt: skip
        reply = self.post(HEARTBEATS, body, "heartbeat")
        challenge = (reply.get("challenge") or {}).get("id")
        if challenge:  # "still there?" (every 15 minutes of play): the learner answers it
            from xueshi_studytime.challenges import code_under

            code = code_under(bytes.fromhex(CONFIG["challenge_key"]), challenge)
            answer = {"token": self.token, "challenge_id": challenge, "code": code}
            self.post(ANSWER, answer, "still there? answer")


class PlainLearner(_Player):
    """No sign-in, no session: the rendition's playlist and its files, straight from Caddy."""

    def on_start(self) -> None:
        segments: list[str] = CONFIG["segments"]
        folder = segments[0].rsplit("/", 1)[0]
        self.client.get(f"/{folder}/index.m3u8", name="playlist (rendition)")
        self.urls = ["/" + name for name in segments]
