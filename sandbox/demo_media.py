"""Demo videos for the sandbox, generated with ffmpeg when missing (the project ships no media).

Three short lessons with burnt-in titles and a running clock, so a tester can see where the
player really is: ``lesson1.mp4`` (H.264/AAC), ``lesson2/index.m3u8`` (HLS, H.264/AAC in MPEG-TS
segments, which hls.js transmuxes), ``lesson3.webm`` (VP9/Opus). Each has WebVTT captions in
Chinese and English. Small frames and a low frame rate keep generation to seconds on 2 cores.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SIZE, FPS = "480x270", 10


@dataclass(frozen=True)
class Lesson:
    """One demo lesson: file stem, length, captions' subject, and the burnt-in title."""

    stem: str
    seconds: int
    kind: str  # "mp4", "hls" or "webm"
    zh: str
    en: str
    tone: int


LESSONS = (
    Lesson("lesson1", 120, "mp4", "安全生产法概述", "Overview of the Work Safety Law", 440),
    Lesson("lesson2", 150, "hls", "危险化学品管理", "Managing hazardous chemicals", 330),
    Lesson("lesson3", 90, "webm", "应急预案与演练", "Emergency plans and drills", 523),
)
ZH_LINES = (
    "本段介绍{s}的基本要求。",
    "请结合本单位实际认真学习。",
    "注意：学习时长由服务器计算。",
    "拖动进度条只能回到已观看的位置。",
    "每隔一段时间会提示您确认仍在学习。",
)
EN_LINES = (
    "This part introduces the basics of {s}.",
    "Relate it to your own workplace.",
    "Note: study time is counted by the server.",
    "You can only seek back to what you watched.",
    "Now and then you are asked to confirm you are still studying.",
)


def _font() -> str | None:
    """A CJK font for the burnt-in title (Debian's fonts-noto-cjk), or None to draw no text."""
    found = shutil.which("fc-match")
    if not found:
        return None
    out = subprocess.run(
        [found, "-f", "%{file}", "sans:lang=zh-cn"], capture_output=True, text=True, check=False
    )
    return out.stdout.strip() or None


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}.{int(seconds * 1000) % 1000:03d}"


def write_captions(lesson: Lesson, target: Path) -> list[Path]:
    """Write ``<stem>.zh.vtt`` and ``<stem>.en.vtt`` captions: one cue every 10 seconds, numbered.

    The cue text carries no time: the video has a burnt-in clock and the transcript prints each
    cue's start, so a time in the text showed twice there ("0:10 [0:10] …", issue 16).
    """
    written = []
    for lang, subject, lines in (("zh", lesson.zh, ZH_LINES), ("en", lesson.en, EN_LINES)):
        cues = ["WEBVTT", ""]
        for index, start in enumerate(range(0, lesson.seconds, 10)):
            end = min(start + 9.5, lesson.seconds)
            text = lines[index % len(lines)].format(s=subject)
            cues += [
                str(index + 1),
                f"{_clock(start)} --> {_clock(end)}",
                text,  # no time in the text: the transcript shows each cue's time itself
                "",
            ]
        path = target / f"{lesson.stem}.{lang}.vtt"
        path.write_text("\n".join(cues), encoding="utf-8")
        written.append(path)
    return written


def _ffmpeg_command(lesson: Lesson, target: Path, font: str | None) -> list[str]:
    title = f"{lesson.stem[-1]}  {lesson.zh}"
    draw = "null"
    if font:
        draw = (
            f"drawtext=fontfile='{font}':text='{title}':fontsize=26:fontcolor=white:box=1:boxcolor=black@0.6:x=12:y=12,"
            f"drawtext=fontfile='{font}':text='%{{pts\\:hms}}':fontsize=40:fontcolor=yellow:box=1:"
            "boxcolor=black@0.6:x=(w-tw)/2:y=h-th-20"
        )
    command = [
        "ffmpeg",
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        f"testsrc2=size={SIZE}:rate={FPS}:duration={lesson.seconds}",
        "-f",
        "lavfi",
        "-i",
        f"sine=frequency={lesson.tone}:sample_rate=48000:duration={lesson.seconds}",
        "-vf",
        draw,
        "-ac",
        "1",
        "-shortest",
    ]
    if lesson.kind == "webm":
        return [
            *command,
            "-c:v",
            "libvpx-vp9",
            "-deadline",
            "realtime",
            "-cpu-used",
            "8",
            "-b:v",
            "250k",
            "-row-mt",
            "1",
            "-g",
            str(FPS * 5),
            "-c:a",
            "libopus",
            "-b:a",
            "48k",
            str(target / "lesson3.webm"),
        ]
    h264 = [
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-profile:v",
        "main",
        "-pix_fmt",
        "yuv420p",
        "-crf",
        "30",
        "-g",
        str(FPS * 5),
        "-keyint_min",
        str(FPS * 5),
        "-sc_threshold",
        "0",
        "-c:a",
        "aac",
        "-b:a",
        "64k",
    ]
    if lesson.kind == "hls":
        folder = target / lesson.stem
        folder.mkdir(exist_ok=True)
        return [
            *command,
            *h264,
            "-f",
            "hls",
            "-hls_time",
            "5",
            "-hls_playlist_type",
            "vod",
            "-hls_segment_filename",
            str(folder / "seg%03d.ts"),
            str(folder / "index.m3u8"),
        ]
    return [*command, *h264, "-movflags", "+faststart", str(target / f"{lesson.stem}.mp4")]


def _media_file(lesson: Lesson, target: Path) -> Path:
    return {
        "mp4": target / f"{lesson.stem}.mp4",
        "hls": target / lesson.stem / "index.m3u8",
        "webm": target / f"{lesson.stem}.webm",
    }[lesson.kind]


def ensure_demo_media(target: Path) -> list[str]:
    """Make sure the demo media exist under ``target``; return lines describing what was done.

    Idempotent: existing files are kept. Without ffmpeg the captions are still written and a
    line says which videos are missing (the player then shows a load error, not a crash).
    """
    target.mkdir(parents=True, exist_ok=True)
    report = [f"demo media folder: {target}"]
    font = _font()
    jobs = []
    for lesson in LESSONS:
        write_captions(lesson, target)
        if _media_file(lesson, target).exists():
            continue
        if not shutil.which("ffmpeg"):
            report.append(f"  ffmpeg not found: {lesson.stem} not generated")
            continue
        jobs.append((lesson, subprocess.Popen(_ffmpeg_command(lesson, target, font), stderr=subprocess.PIPE)))
    for lesson, process in jobs:
        _out, err = process.communicate(timeout=300)
        if process.returncode != 0:
            _media_file(lesson, target).unlink(missing_ok=True)
            report.append(f"  ffmpeg failed for {lesson.stem}: {err.decode(errors='replace')[-300:]}")
        else:
            report.append(
                f"  generated {_media_file(lesson, target).relative_to(target)} ({lesson.seconds} s)"
            )
    return report
