"""The ladder a serving run plays: a generated lecture through the media app's own pipeline.

A short source is generated with ffmpeg's lavfi (moving noise over the test pattern, so every
rendition fills its bitrate cap as a filmed lecture would, where the test pattern alone compresses
to almost nothing), uploaded with ``uploads`` (start, parts, finish: the ffprobe checks), and
transcoded by ``transcode.run`` (4 s segments, AES-128, keyframes aligned), as the Celery worker
does. The demo course's first video lesson then plays it, as Studio's editor would save it. A
ready ladder of the same source is reused: the database and media folder of a run are kept.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

#: The demo lesson whose player the learners open (no quiz checkpoint stops the playback there).
LESSON = "block-v1:XueshiDemo+AQ101+2026+type@xueshi_video+block@video_rates"


def seed_demo() -> str:
    """The demo course, its learners' roles and the operator (idempotent); return the course key.

    The demo's own media files (``sandbox.demo_media``) are not made: the lesson plays the ladder.
    """
    import io

    from django.core.management import call_command

    from xueshi_core.demo import DEMO_COURSE_KEY

    quiet = io.StringIO()
    call_command("xueshi_init", stdout=quiet)
    call_command("xueshi_demo", force=True, stdout=quiet)
    return str(DEMO_COURSE_KEY)


def make_source(target: Path, *, seconds: int, size: str, noisy: bool) -> Path:
    """An H.264/AAC MP4 of ``seconds`` at ``size``, 25 fps, from lavfi."""
    from xueshi_media import conf

    picture = f"testsrc=size={size}:rate=25:duration={seconds}" + (",noise=alls=40:allf=t+u" if noisy else "")
    args = [conf.ffmpeg(), "-v", "error", "-y", "-f", "lavfi", "-i", picture,
            "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
            "-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", "-c:a", "aac", str(target)]  # fmt: skip
    subprocess.run(args, check=True, timeout=600)
    return target


def ensure(work: Path, *, seconds: int, size: str, noisy: bool) -> dict[str, Any]:
    """The ready ladder of this source (made once), played by ``LESSON``; what the learners need."""
    from django.contrib.auth import get_user_model
    from opaque_keys.edx.keys import UsageKey

    from sandbox.lms.models import ContentBlock
    from xueshi_media import transcode, uploads
    from xueshi_media.models import Asset

    usage = UsageKey.from_string(LESSON)
    title = f"bench-serving {size} {seconds}s{' noisy' if noisy else ''}"
    asset = Asset.objects.filter(course_key=usage.course_key, title=title, state=Asset.READY).first()
    if asset is None or not _complete(asset):
        work.mkdir(parents=True, exist_ok=True)
        source = make_source(work / "source.mp4", seconds=seconds, size=size, noisy=noisy)
        author = get_user_model().objects.get(username="operator")
        data = source.read_bytes()
        upload = uploads.start(author, usage.course_key, source.name, len(data))
        with source.open("rb") as stream:
            offset = 0
            while offset < len(data):
                offset = uploads.append(upload.pk, offset, stream, min(8 * 1024 * 1024, len(data) - offset))
        asset = uploads.finish(upload.pk, title)
        if transcode.run(asset.pk, runner="bench") != Asset.READY:
            asset.refresh_from_db()
            raise SystemExit(f"transcoding the benchmark's ladder failed: {asset.error}")
        asset.refresh_from_db()
    block = ContentBlock.objects.get(usage_key=usage)
    block.fields["media_asset"] = asset.pk.hex
    block.save(update_fields=["fields"])
    return describe(asset)


def _complete(asset: Any) -> bool:
    from django.core.files.storage import default_storage

    return all(default_storage.exists(f"{asset.folder}/{r['name']}/index.m3u8") for r in asset.renditions)


def describe(asset: Any) -> dict[str, Any]:
    """Asset id, duration, renditions, and the top rendition's segments (storage names, bytes)."""
    from django.core.files.storage import default_storage

    top = max(asset.renditions, key=lambda r: int(r["height"]))
    playlist = default_storage.open(f"{asset.folder}/{top['name']}/index.m3u8").read().decode()
    names = [line for line in playlist.splitlines() if line.endswith(".ts")]
    segments = [f"{asset.folder}/{top['name']}/{name}" for name in names]
    return {
        "asset": asset.pk.hex,
        "usage": LESSON,
        "duration": asset.duration,
        "renditions": [r["name"] for r in asset.renditions],
        "rendition": top["name"],
        "segments": segments,
        "segment_bytes": [default_storage.size(name) for name in segments],
    }
