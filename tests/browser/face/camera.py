"""Fake cameras for Chromium.

- Y4M videos made with ffmpeg from the shipped face photos: Chromium plays the file through
  ``getUserMedia`` when launched with ``--use-fake-device-for-media-stream
  --use-file-for-fake-video-capture=<file>``, looping it (two photos alternating every half second).
  A looping video cannot follow the server's random pose sequence: it is the replayed recording.
- A *posing* camera (:func:`posing_camera_script`): an init script that gives the page a canvas
  stream showing person A in whatever pose the page asks for (``body[data-xf-pose]``), as a learner
  following the instructions would. The page's own capture code runs unchanged on that stream.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.unit.face.faces import FACES, pose_frame

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


_POSING = """(() => {
  const sources = %s;
  const images = {};
  for (const pose of Object.keys(sources)) { images[pose] = new Image(); images[pose].src = sources[pose]; }
  const canvas = document.createElement("canvas");
  canvas.width = 640; canvas.height = 480;
  const draw = () => {
    const pose = (document.body && document.body.getAttribute("data-xf-pose")) || "centre";
    const image = images[pose];
    if (!image.complete || !image.width) return;
    const context = canvas.getContext("2d"), scale = Math.min(640 / image.width, 480 / image.height);
    context.fillStyle = "#fff"; context.fillRect(0, 0, 640, 480);
    context.drawImage(image, (640 - image.width * scale) / 2, (480 - image.height * scale) / 2,
                      image.width * scale, image.height * scale);
  };
  setInterval(draw, 40);
  if (navigator.mediaDevices) {
    navigator.mediaDevices.getUserMedia = () => Promise.resolve(canvas.captureStream(25));
  }
})();"""


def posing_camera_script() -> str:
    """Init script: the page's camera shows person A in the pose it currently asks for."""
    import base64
    import json

    sources = {
        pose: "data:image/jpeg;base64," + base64.b64encode(pose_frame(pose)).decode("ascii")
        for pose in ("left", "centre", "right")
    }
    return _POSING % json.dumps(sources)
