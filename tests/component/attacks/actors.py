"""The learners of the attack suite: an honest one and the scripts that try to out-earn them.

Every actor speaks the ledger's real HTTP API through its own Django test client and account; all
share one injected server clock, so a run of several simulated minutes takes seconds. The person
in front of the honest player is simulated in exactly two places: reading the challenge's picture
(``code_for``, what eyes do) and the media bytes the browser fetches while playing. Scripts get
only what a script can get: the replies, the page's (signed) media URLs, their own captured
traffic, and, for the strongest ones, a perfect OCR of the picture.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.test import Client

from xueshi_studytime import api
from xueshi_studytime.challenges import code_for
from xueshi_studytime.data import VideoPolicy
from xueshi_studytime.exceptions import SessionsThrottled

HEARTBEATS = "/api/xueshi/studytime/v1/heartbeats"
ANSWER = "/api/xueshi/studytime/v1/challenges/answer"
CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0.0.0 Safari/537.36"
STEP = 5  # heartbeat interval of the suite's policy (seconds): short, so a run is seconds of CI time
POLICY = VideoPolicy(duration=1200.0, anti_idle_seconds=30, heartbeat_seconds=STEP)


@dataclass
class Actor:
    """One account driving sessions; ``credited`` sums what the server said each beat earned."""

    name: str
    user: Any
    usage: str
    media_url: str = ""
    page_media: str = ""
    session_id: str = ""
    user_agent: str = CHROME
    http: Client = field(default_factory=Client)
    token: str = ""
    seq: int = 0
    position: float = 0.0
    credited: float = 0.0
    credited_after_first_challenge: float = 0.0
    challenged: bool = False
    pending: dict[str, Any] | None = None
    captured: list[dict[str, Any]] = field(default_factory=list)
    throttled: int = 0

    def __post_init__(self) -> None:
        self.http.force_login(self.user)

    def open(self) -> bool:
        """Open a session (a new lease); ``False`` when the server throttles openings."""
        try:
            grant = api.open_session(
                user=self.user, usage_key=self.usage, policy=POLICY, user_agent=self.user_agent
            )
        except SessionsThrottled:
            self.throttled += 1
            return False
        self.token, self.seq, self.position = grant.token, 0, grant.resume_position
        self.session_id = grant.session_id
        if self.page_media:  # what the block's open_session reply carries: the URL signed for this session
            source = [{"url": self.page_media, "type": "video/mp4"}]
            self.media_url = api.sign_media_urls(
                self.user.id, self.usage, source, session_id=grant.session_id
            )[0]["url"]
        return True

    def beat(
        self,
        *,
        event: str = "tick",
        rate: float = 1.0,
        playing: bool = True,
        body: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Send one heartbeat (or a captured body as is) and book its credit."""
        if body is None:
            self.seq += 1
            body = {"token": self.token, "seq": self.seq, "position": self.position, "playing": playing}
            body.update({"visible": True, "rate": rate, "event": event})
            self.captured.append(body)
        reply = self.http.post(HEARTBEATS, json.dumps(body), content_type="application/json").json()
        self.book(reply)
        return reply

    def book(self, reply: dict[str, Any]) -> None:
        gain = float(reply.get("credited") or 0)
        self.credited += gain
        if self.challenged:
            self.credited_after_first_challenge += gain
        if reply.get("challenge"):
            self.challenged, self.pending = True, reply["challenge"]
        if "position" in reply:
            self.position = float(reply["position"])

    def answer(self, code: str | None) -> bool:
        """Answer the pending challenge (``None``: the id only, as the old protocol allowed)."""
        if not self.pending:
            return False
        body = {"token": self.token, "challenge_id": self.pending["id"]}
        if code is not None:
            body["code"] = code
        reply = self.http.post(ANSWER, body, content_type="application/json")
        if reply.status_code == 200:
            self.pending = None
        elif reply.json().get("challenge"):
            self.pending = reply.json()["challenge"]
        return reply.status_code == 200

    def read_picture(self) -> str:
        """What a person (or a perfect OCR) reads in the challenge's picture, fetched like the player does."""
        assert self.pending is not None
        image = self.http.get(self.pending["image_url"])
        assert image.status_code == 200 and image["Content-Type"] == "image/png"
        return code_for(self.pending["id"])

    def fetch_media(self, first: int, last: int, url: str = "") -> None:
        """Fetch a byte range of the media URL (by default the session's), as the browser buffers ahead."""
        if url or self.media_url:
            Client().get(url or self.media_url, HTTP_RANGE=f"bytes={first}-{last}")

    def signed_media(self, url: str) -> None:
        """The media URL exactly as the player page gives it to this learner (before any session)."""
        self.page_media = url
        self.media_url = api.sign_media_urls(self.user.id, self.usage, [{"url": url, "type": "video/mp4"}])[
            0
        ]["url"]
