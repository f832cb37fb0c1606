"""Transcoding throughput: CPU seconds the ladder of a 1080p source costs (issue 24).

``python -m benchmarks.media.transcode_rate [seconds]`` generates a 1080p30 test source with
ffmpeg's lavfi, runs every rendition's ffmpeg exactly as the transcoder does, and prints minutes of
source per CPU-minute (per core) and the wall time. CPU time of the ffmpeg children is measured,
so a busy machine changes the wall time much more than the figure.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time


def main(seconds: int = 20) -> None:
    """Print the ladder's CPU cost for ``seconds`` of 1080p30 source."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings")
    django.setup()
    from xueshi_media import conf, ladder
    from xueshi_media.probe import probe

    with tempfile.TemporaryDirectory() as folder:
        source = f"{folder}/source.mp4"
        subprocess.run([conf.ffmpeg(), "-v", "error", "-y", "-f", "lavfi", "-i",
                        f"testsrc2=size=1920x1080:rate=30:duration={seconds}", "-f", "lavfi", "-i",
                        f"sine=frequency=440:duration={seconds}", "-c:v", "libx264", "-preset", "ultrafast",
                        "-crf", "18", "-c:a", "aac", source], check=True)  # fmt: skip
        facts = probe(source)
        made = ladder.renditions(facts.width, facts.height, conf.ladder())
        wall, before = time.perf_counter(), os.times()
        for r in made:
            out = f"{folder}/{r.name}"
            os.mkdir(out)
            args = ladder.rendition_args(
                source,
                out,
                r,
                segment=conf.segment_seconds(),
                fps=facts.fps,
                preset=conf.x264_preset(),
                audio=True,
            )
            subprocess.run([conf.ffmpeg(), *args], check=True, stdout=subprocess.DEVNULL)
        after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    names = ", ".join(r.name for r in made)
    print(f"{facts.duration:.1f} s of 1080p30, ladder {names}, preset {conf.x264_preset()}")
    print(f"CPU {cpu:.1f} s, wall {time.perf_counter() - wall:.1f} s, load {os.getloadavg()[0]:.1f}")
    print(f"throughput: {facts.duration / cpu:.3f} minutes of source per CPU-minute (per core)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
