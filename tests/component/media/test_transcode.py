"""Transcoding into the HLS ladder: renditions cut at the same instants, poster, thumbnails, captions;
a failed job is shown, retried, and resumes after its last finished step."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.storage import default_storage

from xueshi_media import transcode
from xueshi_media.models import Asset

from .conftest import upload

pytestmark = [pytest.mark.component, pytest.mark.django_db]
EXTINF = re.compile(r"^#EXTINF:([0-9.]+),", re.M)
ORIGINAL_THUMBNAILS = transcode._thumbnails


def read(name: str) -> str:
    with default_storage.open(name, "rb") as handle:
        return handle.read().decode("utf-8")


@pytest.fixture
def queued(operator: Any, videos: Any, settings: Any) -> Asset:
    settings.XUESHI_MEDIA_SEGMENT_SECONDS = 1  # three segments from a 3-second source
    settings.XUESHI_MEDIA_THUMBNAIL_SECONDS = 1
    done = upload(operator, videos["good"])
    assert done.status_code == 201
    return Asset.objects.get(pk=done.json()["id"])


def test_a_short_video_becomes_an_aligned_ladder_with_poster_thumbnails_and_captions(queued: Asset) -> None:
    # A live worker has the job: a duplicate message (the sweep, a double click) leaves it alone.
    Asset.objects.filter(pk=queued.pk).update(state=Asset.RUNNING, runner="task-1")
    assert transcode.run(queued.pk, runner="task-2") == "busy"
    # The broker redelivers task-1's own message after its worker died: it resumes at once.
    assert transcode.run(queued.pk, runner="task-1") == Asset.READY
    asset = Asset.objects.get(pk=queued.pk)
    assert (asset.progress, asset.error) == (100, "")
    # 960x540 allows 540p and 360p; nothing is upscaled to 720p or 1080p.
    assert [(r["name"], r["width"], r["height"]) for r in asset.renditions] == [
        ("540p", 960, 540),
        ("360p", 640, 360),
    ]
    master = read(f"{asset.folder}/master.m3u8")
    assert master.index("540p/index.m3u8") < master.index("360p/index.m3u8")
    assert "RESOLUTION=640x360" in master and "BANDWIDTH=" in master
    spans = {name: EXTINF.findall(read(f"{asset.folder}/{name}/index.m3u8")) for name in ("540p", "360p")}
    # Keyframes aligned: every rendition is cut at the same instants, one segment per second.
    # Segments are AES-128 encrypted; the key is in the database only, never beside the segments.
    assert '#EXT-X-KEY:METHOD=AES-128,URI="../key"' in read(f"{asset.folder}/360p/index.m3u8")
    assert len(asset.hls_key.reveal()) == 16 and not default_storage.exists(f"{asset.folder}/key")
    assert not [
        f for f in default_storage.listdir(f"{asset.folder}/540p")[1] if not f.endswith((".ts", ".m3u8"))
    ]
    assert spans["540p"] == spans["360p"] and [float(s) for s in spans["540p"]] == pytest.approx(
        [1.0] * 3, abs=0.05
    )
    with default_storage.open(f"{asset.folder}/poster.jpg", "rb") as poster:
        assert poster.read(3) == b"\xff\xd8\xff"
    thumbs = read(f"{asset.folder}/thumbnails.vtt")
    assert thumbs.startswith("WEBVTT") and "thumbs_001.jpg#xywh=160,0,160,90" in thumbs
    assert default_storage.exists(f"{asset.folder}/thumbs_001.jpg")
    assert asset.captions == [{"lang": "chi", "file": "captions_0.vtt"}]
    assert "第一课字幕" in read(f"{asset.folder}/captions_0.vtt")


def test_a_failed_job_shows_its_error_and_a_retry_resumes_after_the_last_step_done(
    queued: Asset, operator: Any, monkeypatch: Any
) -> None:
    real = transcode.run_ffmpeg
    calls: list[str] = []

    def counting(args: list[str], *rest: Any, **kw: Any) -> None:
        calls.append(args[-1])
        real(args, *rest, **kw)

    def broken(*args: Any) -> None:
        raise transcode.StepFailed("disk full")

    monkeypatch.setattr(transcode, "run_ffmpeg", counting)
    monkeypatch.setattr(transcode, "_thumbnails", broken)
    assert transcode.run(queued.pk) == Asset.FAILED
    failed = operator.get(f"/xueshi/media/courses/{queued.course_key}/videos/").json()["assets"][0]
    assert failed["state"] == "failed" and failed["error"] == "disk full" and 0 < failed["progress"] < 100
    asset = Asset.objects.get(pk=queued.pk)
    assert asset.steps_done == ["rendition:540p", "rendition:360p", "master", "poster"]
    made_at = default_storage.get_modified_time(f"{asset.folder}/540p/index.m3u8")

    monkeypatch.setattr(transcode, "_thumbnails", ORIGINAL_THUMBNAILS)
    retried = operator.post(
        f"/xueshi/media/videos/{asset.pk.hex}/retry/", {}, content_type="application/json"
    )
    assert retried.status_code == 200 and retried.json()["state"] == "queued"
    again = operator.post(f"/xueshi/media/videos/{asset.pk.hex}/retry/", {}, content_type="application/json")
    assert again.status_code == 409 and again.json()["error"] == "not_failed"
    calls.clear()
    assert transcode.run(asset.pk) == Asset.READY
    # Only the steps not done ran again: the thumbnails and the captions, no rendition.
    assert len(calls) == 2 and calls[0].endswith("thumbs_%03d.jpg") and calls[1].endswith("captions_0.vtt")
    assert default_storage.get_modified_time(f"{asset.folder}/540p/index.m3u8") == made_at
    assert Asset.objects.get(pk=asset.pk).attempts == 2
