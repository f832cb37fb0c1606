"""Plain data types of ``xueshi_media``'s public API (no models, no Django)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Playback:
    """What a player needs of a library video: the master playlist, poster, thumbnails, captions.

    ``duration`` is ffprobe's, never typed by an author: the ledger's policy uses it.
    """

    asset_id: str
    title: str
    state: str
    duration: float
    hls_url: str
    poster_url: str
    thumbnails_url: str
    captions: tuple[dict[str, str], ...] = field(default=())
    renditions: tuple[str, ...] = field(default=())

    @property
    def ready(self) -> bool:
        """Whether the ladder is complete and playable."""
        return self.state == "ready"


@dataclass(frozen=True)
class Preview:
    """A 试听 grant's URLs: the master playlist, poster and captions, all carrying one preview token.

    ``limit`` is the signed cap in seconds (0 = the whole video): min(operator's, author's).
    """

    hls_url: str
    poster_url: str
    captions: tuple[dict[str, str], ...]
    limit: int


@dataclass(frozen=True)
class Fetch:
    """One request served under a session's signature (the proof of fetch)."""

    at: float
    path: str
    span: tuple[float, float] | None
