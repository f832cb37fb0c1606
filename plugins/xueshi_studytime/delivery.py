"""What the media server delivered to one playback session, and how far into the video that reaches.

The media server (``sandbox/lms/media.py`` here, the signed delivery of issue 24 in production)
verifies a session-signed URL (``media.py``) and records what it served in the session's
*delivery record*, a Redis hash under the learner's hash tag (so the heartbeat reads it in its one
pipelined read, in place of ADR 0052's per-learner log):

- ``b``: byte ranges of a progressive file served, half-open, merged (``0:65536,131072:196608``),
  with the file's ``size``;
- ``t``: time spans of HLS segments served (the span is signed into each segment URL when the
  server rewrites the session's playlist, ``rewrite_playlist``);
- ``sent``: bytes sent in all.

At most ``MAX_RANGES`` ranges are kept (the highest are dropped: under-credit, never over-credit;
a browser makes a handful), and the record expires with the session's token.

The heartbeat asks ``reach``: from the session's position, how far do the delivered ranges reach
without a gap? A progressive file maps position to byte offset proportionally, with a slack for
the index (``moov`` atom) and uneven bitrates: position ``p`` counts as delivered when the bytes
up to ``p / duration * size - slack`` were sent in one range that starts within the slack of the
session's position. An HLS position counts when the segment holding it was sent. The ledger
credits nothing beyond the reach (reason ``not_delivered``, ADR 0053).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin

from django.conf import settings

from . import conf, hotstate
from .media import Signed

Intervals = tuple[tuple[float, float], ...]
MAX_RANGES = 32
PLAYLIST = ".m3u8"
SEGMENT_EPSILON = 0.05  # seconds: rounding of the span signed into a segment URL
EXTINF = re.compile(r"^#EXTINF:\s*([0-9.]+)")
TAGS_WITH_URI = ("#EXT-X-KEY:", "#EXT-X-MAP:")
TAG_URI = re.compile(r'URI="([^"]+)"')

RECORD_LUA = """
local raw = redis.call('HGET', KEYS[1], ARGV[1]) or ''
local s, e = tonumber(ARGV[2]), tonumber(ARGV[3])
local out, placed = {}, false
if e > s then
  for a, b in string.gmatch(raw, '([^,:]+):([^,]+)') do
    a, b = tonumber(a), tonumber(b)
    if b < s then out[#out + 1] = a .. ':' .. b
    elseif a > e then
      if not placed then out[#out + 1] = s .. ':' .. e; placed = true end
      out[#out + 1] = a .. ':' .. b
    else
      if a < s then s = a end
      if b > e then e = b end
    end
  end
  if not placed then out[#out + 1] = s .. ':' .. e end
  while #out > tonumber(ARGV[4]) do table.remove(out) end
  redis.call('HSET', KEYS[1], ARGV[1], table.concat(out, ','))
end
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'size', ARGV[5]) end
redis.call('HINCRBY', KEYS[1], 'sent', ARGV[6])
redis.call('EXPIRE', KEYS[1], ARGV[7])
return 1
"""


@dataclass(frozen=True)
class Delivery:
    """A session's delivery record as the heartbeat reads it."""

    sent: int = 0
    size: int = 0
    byte_ranges: Intervals = ()
    time_spans: Intervals = ()

    @property
    def any(self) -> bool:
        """Whether the session was sent any media at all (else: ``no_media``)."""
        return self.sent > 0


def key(user_id: int, session_id: str) -> str:
    """Delivery record of one playback session (same hash tag as the session's other keys)."""
    return f"{hotstate.Keys(user_id).tag}:dv:{session_id}"


def slack_seconds() -> float:
    """Seconds of average bitrate a progressive position may run ahead of the bytes sent."""
    return float(getattr(settings, "XUESHI_STUDYTIME_DELIVERY_SLACK_SECONDS", 30.0))


def slack_fraction() -> float:
    """Share of a progressive file that may be missing before a position (index atom, bitrate)."""
    return float(getattr(settings, "XUESHI_STUDYTIME_DELIVERY_SLACK_FRACTION", 0.01))


def slack_bytes(size: int, duration: float) -> float:
    """The documented slack: ``slack_fraction * size + slack_seconds * size / duration``."""
    return slack_fraction() * size + slack_seconds() * size / duration


def _parse(raw: str | None) -> Intervals:
    spans: list[tuple[float, float]] = []
    for item in (raw or "").split(","):
        start, _, end = item.partition(":")
        try:
            spans.append((float(start), float(end)))
        except ValueError:
            continue
    return tuple(spans)


def parse(h: dict[str, str]) -> Delivery:
    """The record from its hash (an empty hash: nothing delivered)."""
    if not h:
        return Delivery()
    return Delivery(int(h.get("sent") or 0), int(h.get("size") or 0), _parse(h.get("b")), _parse(h.get("t")))


def reach(record: Delivery, duration: float, start: float) -> float:
    """How far from ``start`` (seconds) the delivered media reaches without a gap; ``start`` if nowhere.

    Time spans of HLS segments count as they are. A progressive file's byte ranges go through the
    proportional map, within ``slack_bytes`` either side of the start (a resumed browser fetches
    from about the byte of its position, not before it); the reach is the end of the range plus
    the slack, and never more than the range's own length plus the slack past ``start``, so a
    few bytes fetched ahead earn at most the slack. Pure, so it is unit-tested without Redis.
    """
    best = start
    for lo, hi in record.time_spans:
        if lo - SEGMENT_EPSILON <= start <= hi + SEGMENT_EPSILON:
            best = max(best, hi + SEGMENT_EPSILON)
    if record.size > 0 and duration > 0:
        per_second = record.size / duration
        slack = slack_bytes(record.size, duration)
        offset = start * per_second
        for lo, hi in record.byte_ranges:
            if lo <= offset + slack and hi >= offset - slack:
                to_end = math.inf if hi >= record.size else (hi + slack) / per_second
                best = max(best, min(to_end, start + (hi - lo + slack) / per_second))
    return min(best, duration) if duration > 0 else best


def record(signed: Signed, path: str, first: int, end: int, size: int, sent: int) -> None:
    """Record a response to a session-signed URL: bytes ``[first, end)`` of a file of ``size`` bytes.

    A segment URL records its signed time span; a playlist only its bytes (it shows no video).
    """
    if not signed.session_id:
        return
    if signed.span is not None:
        field, lo, hi, file_size = "t", signed.span[0], signed.span[1], ""
    elif path.endswith(PLAYLIST):
        field, lo, hi, file_size = "b", 0.0, 0.0, ""
    else:
        field, lo, hi, file_size = "b", float(first), float(end), str(size)
    hotstate.script(RECORD_LUA)(
        keys=[key(signed.user_id, signed.session_id)],
        args=[field, repr(lo), repr(hi), MAX_RANGES, file_size, max(0, sent), conf.token_ttl_seconds() + 60],
    )


def rewrite_playlist(
    text: str, playlist_path: str, sign: Callable[[str, tuple[float, float] | None], str]
) -> str:
    """A media playlist with every URI made absolute and signed for the session.

    Each segment URI gets its time span (the sum of the ``#EXTINF`` durations before it), so
    fetching it records exactly which part of the video was delivered; a variant playlist URI
    (in a master playlist), an AES-128 key URI and an init segment URI are signed without a span.
    """
    lines, clock, pending = [], 0.0, None
    for line in text.splitlines():
        found = EXTINF.match(line)
        if found:
            pending = float(found.group(1))
        if line.startswith(TAGS_WITH_URI):  # an AES key or init segment: signed, no span
            lines.append(
                TAG_URI.sub(lambda m: f'URI="{sign(urljoin(playlist_path, m.group(1)), None)}"', line)
            )
            continue
        if not line or line.startswith("#"):
            lines.append(line)
            continue
        path = urljoin(playlist_path, line.strip())
        if path.split("?", 1)[0].endswith(PLAYLIST) or pending is None:
            lines.append(sign(path, None))
            continue
        lines.append(sign(path, (clock, clock + pending)))
        clock, pending = clock + pending, None
    return "\n".join(lines) + "\n"
