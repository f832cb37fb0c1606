"""What a file really is, asked of ffprobe: never trust the name, the MIME type or the author.

``probe`` refuses anything that is not a video with a positive duration; ``check_complete``
demuxes every packet (no decoding, so it runs at disk speed) and refuses a file whose packets run
past its end, which is what a truncated upload looks like.
"""

from __future__ import annotations

import json
import math
import subprocess
from dataclasses import dataclass, field

from . import conf

PROBE_TIMEOUT = 120
DEMUX_TIMEOUT = 1800
TRUNCATION_HINTS = ("truncat", "partial file", "end of file", "invalid data", "moov atom not found")


class NotAVideo(ValueError):
    """The file is refused; ``code`` is stable for clients, the message is for logs."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(detail or code)
        self.code = code


@dataclass(frozen=True)
class Probe:
    """The facts the transcoder and the ledger need."""

    duration: float
    width: int
    height: int
    fps: float
    has_audio: bool
    subtitle_streams: tuple[tuple[int, str], ...] = field(default=())  # (index, language)


def _rate(text: str) -> float:
    num, _, den = (text or "0/1").partition("/")
    try:
        value = float(num) / float(den or 1)
    except (ValueError, ZeroDivisionError):
        return 0.0
    return value if math.isfinite(value) else 0.0


def probe(path: str) -> Probe:
    """The file's duration, size and streams; ``NotAVideo`` when ffprobe finds no usable video."""
    command = [conf.ffprobe(), "-v", "error", "-print_format", "json", "-show_format", "-show_streams", path]
    try:
        done = subprocess.run(command, capture_output=True, timeout=PROBE_TIMEOUT, check=False)
        info = json.loads(done.stdout or b"{}") if done.returncode == 0 else {}
    except (subprocess.TimeoutExpired, ValueError) as exc:
        raise NotAVideo("unreadable", str(exc)) from exc
    streams = info.get("streams") or []
    video = next(
        (
            s
            for s in streams
            if s.get("codec_type") == "video" and not (s.get("disposition") or {}).get("attached_pic")
        ),
        None,
    )
    if video is None:
        raise NotAVideo("not_a_video", done.stderr.decode("utf-8", "replace")[:300])
    try:
        duration = float((info.get("format") or {}).get("duration") or video.get("duration") or 0)
    except ValueError:
        duration = 0.0
    if not (math.isfinite(duration) and duration > 0):
        raise NotAVideo("no_duration")
    width, height = int(video.get("width") or 0), int(video.get("height") or 0)
    if width < 16 or height < 16:
        raise NotAVideo("not_a_video", "no picture size")
    subtitles = tuple(
        (int(s["index"]), str((s.get("tags") or {}).get("language") or "und"))
        for s in streams
        if s.get("codec_type") == "subtitle"
    )
    return Probe(
        duration=duration,
        width=width,
        height=height,
        fps=_rate(video.get("avg_frame_rate")) or _rate(video.get("r_frame_rate")) or 25.0,
        has_audio=any(s.get("codec_type") == "audio" for s in streams),
        subtitle_streams=subtitles,
    )


def check_complete(path: str) -> None:
    """Demux every packet; ``NotAVideo("truncated")`` if the container ends before its data does."""
    command = [
        conf.ffmpeg(),
        "-v",
        "error",
        "-nostdin",
        "-i",
        path,
        "-map",
        "0",
        "-c",
        "copy",
        "-f",
        "null",
        "-",
    ]
    try:
        done = subprocess.run(command, capture_output=True, timeout=DEMUX_TIMEOUT, check=False)
    except subprocess.TimeoutExpired as exc:
        raise NotAVideo("unreadable", "demux timed out") from exc
    errors = done.stderr.decode("utf-8", "replace").lower()
    if done.returncode != 0 or any(hint in errors for hint in TRUNCATION_HINTS):
        raise NotAVideo("truncated", errors[:300])
