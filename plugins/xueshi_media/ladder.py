"""The HLS ladder as pure functions: which rungs a source allows, and the ffmpeg arguments of each.

Keyframes are aligned across renditions by forcing one at every segment boundary
(``-force_key_frames expr:gte(t,n_forced*S)``) and disabling scene-cut keyframes, with a GOP of
exactly one segment; every rendition is then cut at the same instants, so hls.js can switch
rendition at any segment boundary without a stall or a jump (ADR 0261). No Django here.
"""

from __future__ import annotations

from dataclasses import dataclass

Rung = tuple[str, int, int, int]  # (name, height, video kbit/s, audio kbit/s)


@dataclass(frozen=True)
class Rendition:
    """One rung as made for one source."""

    name: str
    width: int
    height: int
    video_kbps: int
    audio_kbps: int

    @property
    def bandwidth(self) -> int:
        """Peak bits per second announced in the master playlist (maxrate plus audio, with 10% overhead)."""
        return int((self.video_kbps * 1.07 + self.audio_kbps) * 1000 * 1.1)


def even(value: float) -> int:
    """The nearest even integer (x264 needs even picture sizes)."""
    return max(2, round(value / 2) * 2)


def renditions(width: int, height: int, ladder: tuple[Rung, ...]) -> list[Rendition]:
    """The rungs no taller than the source, highest first; a source below every rung gets one at its size."""
    made = [Rendition(name, even(width * h / height), h, v, a) for name, h, v, a in ladder if h <= height]
    if not made and ladder:
        _name, _h, v, a = ladder[-1]
        made = [Rendition(f"{even(height)}p", even(width), even(height), v, a)]
    return made


def rendition_args(
    source: str, out_dir: str, r: Rendition, *, segment: int, fps: float, preset: str, audio: bool
) -> list[str]:
    """The ffmpeg arguments that write ``out_dir/index.m3u8`` and its segments for one rendition."""
    gop = max(1, round(fps * segment))
    args = ["-nostdin", "-v", "error", "-y", "-progress", "pipe:1", "-i", source, "-map", "0:v:0"]
    if audio:
        args += ["-map", "0:a:0"]
    args += [
        "-vf", f"scale={r.width}:{r.height}",
        "-c:v", "libx264", "-preset", preset, "-profile:v", "main", "-pix_fmt", "yuv420p",
        "-b:v", f"{r.video_kbps}k", "-maxrate", f"{int(r.video_kbps * 1.07)}k",
        "-bufsize", f"{int(r.video_kbps * 1.5)}k",
        "-g", str(gop), "-keyint_min", str(gop), "-sc_threshold", "0",
        "-force_key_frames", f"expr:gte(t,n_forced*{segment})",
    ]  # fmt: skip
    if audio:
        args += ["-c:a", "aac", "-b:a", f"{r.audio_kbps}k", "-ac", "2"]
    args += [
        "-f", "hls", "-hls_time", str(segment), "-hls_playlist_type", "vod",
        "-hls_segment_filename", f"{out_dir}/seg_%05d.ts", f"{out_dir}/index.m3u8",
    ]  # fmt: skip
    return args


def master_playlist(made: list[Rendition], audio: bool) -> str:
    """The master playlist: one variant per rendition, highest first (hls.js picks by bandwidth)."""
    codecs = "avc1.4d401f,mp4a.40.2" if audio else "avc1.4d401f"
    lines = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-INDEPENDENT-SEGMENTS"]
    for r in made:
        lines.append(
            f'#EXT-X-STREAM-INF:BANDWIDTH={r.bandwidth},RESOLUTION={r.width}x{r.height},CODECS="{codecs}"'
        )
        lines.append(f"{r.name}/index.m3u8")
    return "\n".join(lines) + "\n"


def thumbnail_size(width: int, height: int, thumb_width: int = 160) -> tuple[int, int]:
    """Seek-bar thumbnail size keeping the source's aspect ratio."""
    return thumb_width, even(thumb_width * height / width)


def _clock(seconds: float) -> str:
    millis = round(seconds * 1000)
    whole, ms = divmod(millis, 1000)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}.{ms:03d}"


def thumbnails_vtt(duration: float, every: int, size: tuple[int, int], columns: int, per_sheet: int) -> str:
    """WebVTT mapping each ``every``-second span to its tile in the sprite sheets (``#xywh``)."""
    w, h = size
    lines, index, start = ["WEBVTT", ""], 0, 0.0
    while start < duration:
        end = min(duration, start + every)
        sheet, cell = divmod(index, per_sheet)
        x, y = (cell % columns) * w, (cell // columns) * h
        lines += [
            f"{_clock(start)} --> {_clock(end)}",
            f"thumbs_{sheet + 1:03d}.jpg#xywh={x},{y},{w},{h}",
            "",
        ]
        index, start = index + 1, end
    return "\n".join(lines)
