"""Fake cameras for Chromium: Y4M videos made with ffmpeg from the shipped face photos.

Chromium plays the file through ``getUserMedia`` when launched with
``--use-fake-device-for-media-stream --use-file-for-fake-video-capture=<file>``, looping it. Each
video alternates two photos every half second, so frames the page takes 0.7 s apart show a head
turn (person A: a frontal photo and one facing sideways; person B: a photo and its mirror image).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.unit.face.faces import FACES

FIT = "scale=640:480:force_original_aspect_ratio=decrease,pad=640:480:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=10"


def make_camera(out: Path, first: str, second: str, *, mirror_second: bool = False) -> Path:
    """Write a 1-second looping Y4M: ``first`` for 0.5 s, then ``second`` (optionally mirrored)."""
    second_filter = ("hflip," if mirror_second else "") + FIT
    subprocess.run(
        [
            "ffmpeg",
            "-loglevel",
            "error",
            "-y",
            "-loop",
            "1",
            "-t",
            "0.5",
            "-i",
            str(FACES / f"{first}.jpg"),
            "-loop",
            "1",
            "-t",
            "0.5",
            "-i",
            str(FACES / f"{second}.jpg"),
            "-filter_complex",
            f"[0]{FIT}[a];[1]{second_filter}[b];[a][b]concat=n=2:v=1[v]",
            "-map",
            "[v]",
            "-pix_fmt",
            "yuv420p",
            str(out),
        ],
        check=True,
        timeout=60,
    )
    return out
