"""The transcoding job: idempotent steps from an uploaded file to a ladder in storage.

Each step (one rendition, the master playlist, the poster, the seek-bar thumbnails, the captions)
writes into a fresh scratch folder, copies its files to storage and only then is added to
``Asset.steps_done``. A job that dies (a killed worker, a full disk, a restart) is run again by the
redelivered task, the sweep or the author's "retry" and skips what is done; a half-made step is
simply made again (ADR 0261). Progress is the share of steps done, refined while ffmpeg runs.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.db.models import F, Q
from django.utils import timezone

from . import conf, ladder
from .models import Asset
from .probe import NotAVideo, Probe, probe

log = logging.getLogger(__name__)
SHEET_COLUMNS, SHEET_ROWS = 5, 5
PROGRESS_EVERY = 1.0  # seconds between progress writes while ffmpeg runs
KEY_URI = "../key"  # from <asset>/<rendition>/index.m3u8 to <asset>/key, served per session
STALE_AFTER = timedelta(minutes=15)  # a running job with no progress written for this long is dead


class StepFailed(RuntimeError):
    """A step's ffmpeg failed; the message (ffmpeg's own) is shown to the author."""


def put(name: str, local: Path) -> None:
    """Copy ``local`` to storage under exactly ``name`` (a retried step overwrites its earlier copy)."""
    if default_storage.exists(name):
        default_storage.delete(name)
    with local.open("rb") as handle:
        saved = default_storage.save(name, File(handle))
    if saved != name:  # a storage that renamed it: the playlists would point nowhere
        raise StepFailed(f"storage saved {name} as {saved}")


def local_source(asset: Asset, scratch: Path) -> str:
    """A local path of the uploaded file (the storage's own on a file system, else a download)."""
    try:
        return str(default_storage.path(asset.source_name))
    except NotImplementedError:
        target = scratch / "source"
        with default_storage.open(asset.source_name, "rb") as src, target.open("wb") as dst:
            shutil.copyfileobj(src, dst, 1024 * 1024)
        return str(target)


def _set_progress(asset_id: Any, percent: int) -> None:
    Asset.objects.filter(pk=asset_id).update(progress=max(0, min(99, percent)), modified=timezone.now())


def run_ffmpeg(args: list[str], duration: float = 0.0, report: Any = None) -> None:
    """Run ffmpeg; call ``report(fraction)`` about once a second from its ``-progress`` output."""
    process = subprocess.Popen(
        [conf.ffmpeg(), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    last = 0.0
    assert process.stdout is not None
    for line in process.stdout:
        if (
            report
            and duration > 0
            and line.startswith("out_time_us=")
            and time.monotonic() - last > PROGRESS_EVERY
        ):
            try:
                report(min(1.0, int(line.split("=", 1)[1]) / 1e6 / duration))
            except ValueError:
                continue
            last = time.monotonic()
    stderr = process.stderr.read() if process.stderr else ""
    if process.wait() != 0:
        raise StepFailed(stderr.strip()[-500:] or f"ffmpeg exited with {process.returncode}")


def plan(p: Probe) -> list[str]:
    """The job's steps for this source, in order."""
    made = ladder.renditions(p.width, p.height, conf.ladder())
    return [*(f"rendition:{r.name}" for r in made), "master", "poster", "thumbnails", "captions"]


def _rendition(asset: Asset, p: Probe, name: str, source: str, scratch: Path, report: Any) -> dict[str, Any]:
    r = next(r for r in ladder.renditions(p.width, p.height, conf.ladder()) if r.name == name)
    out = scratch / name
    out.mkdir()
    args = ladder.rendition_args(
        source,
        str(out),
        r,
        segment=conf.segment_seconds(),
        fps=p.fps,
        preset=conf.x264_preset(),
        audio=p.has_audio,
    )
    if (
        asset.hls_key is not None
    ):  # the key stays in scratch, never in storage: only ``delivery`` hands it out
        key_file, info = scratch / f"{name}.key", scratch / f"{name}.keyinfo"
        key_file.write_bytes(asset.hls_key.reveal())
        info.write_text(f"{KEY_URI}\n{key_file}\n", "utf-8")
        args[-1:-1] = ["-hls_key_info_file", str(info)]
    run_ffmpeg(args, p.duration, report)
    for item in sorted(out.iterdir(), key=lambda f: f.suffix == ".m3u8"):  # segments before their playlist
        put(f"{asset.folder}/{name}/{item.name}", item)
    return {"name": r.name, "width": r.width, "height": r.height, "bandwidth": r.bandwidth}


def _poster(asset: Asset, p: Probe, source: str, scratch: Path, report: Any) -> None:
    at = min(1.0, p.duration / 10)
    target = scratch / "poster.jpg"
    height = min(720, ladder.even(p.height))
    run_ffmpeg(["-nostdin", "-v", "error", "-y", "-ss", f"{at:.3f}", "-i", source, "-frames:v", "1",
                "-vf", f"scale=-2:{height}", "-q:v", "3", str(target)])  # fmt: skip
    put(f"{asset.folder}/poster.jpg", target)


def _thumbnails(asset: Asset, p: Probe, source: str, scratch: Path, report: Any) -> None:
    every, (w, h) = conf.thumbnail_seconds(), ladder.thumbnail_size(p.width, p.height)
    out = scratch / "thumbs"
    out.mkdir()
    run_ffmpeg(["-nostdin", "-v", "error", "-y", "-i", source, "-an", "-sn",
                "-vf", f"fps=1/{every},scale={w}:{h},tile={SHEET_COLUMNS}x{SHEET_ROWS}",
                "-q:v", "5", str(out / "thumbs_%03d.jpg")], p.duration, report)  # fmt: skip
    vtt = ladder.thumbnails_vtt(p.duration, every, (w, h), SHEET_COLUMNS, SHEET_COLUMNS * SHEET_ROWS)
    (out / "thumbnails.vtt").write_text(vtt, "utf-8")
    for item in sorted(out.iterdir()):
        put(f"{asset.folder}/{item.name}", item)


def _captions(asset: Asset, p: Probe, source: str, scratch: Path, report: Any) -> list[dict[str, str]]:
    tracks = []
    for number, (_index, lang) in enumerate(p.subtitle_streams):
        target = scratch / f"captions_{number}.vtt"
        try:
            args = ["-nostdin", "-v", "error", "-y", "-i", source, "-map", f"0:s:{number}"]
            run_ffmpeg([*args, "-c:s", "webvtt", str(target)], p.duration, report)
        except StepFailed:  # a bitmap subtitle (DVD, PGS) cannot become text: skip it, keep the video
            log.warning("asset %s: subtitle stream %s is not text; not carried", asset.pk, number)
            continue
        put(f"{asset.folder}/{target.name}", target)
        tracks.append({"lang": lang, "file": target.name})
    return tracks


def claim(asset_id: Any, runner: str) -> bool:
    """Take the job unless another live worker has it.

    Taken when queued or failed, or running under this very task (the broker redelivered it after
    its worker died), or running without progress for ``STALE_AFTER`` (a dead worker's).
    """
    stale = timezone.now() - STALE_AFTER
    mine = Q(state=Asset.RUNNING, runner=runner) if runner else Q(pk__in=[])
    taken = (
        Asset.objects.filter(pk=asset_id)
        .filter(Q(state__in=(Asset.QUEUED, Asset.FAILED)) | mine | Q(state=Asset.RUNNING, modified__lt=stale))
        .update(
            state=Asset.RUNNING, error="", runner=runner, attempts=F("attempts") + 1, modified=timezone.now()
        )
    )
    return bool(taken)


def run(asset_id: Any, runner: str = "") -> str:
    """Run (or resume) the job of one asset; return its final state ("busy": another worker has it)."""
    asset = Asset.objects.get(pk=asset_id)
    if asset.state == Asset.READY:
        return asset.state
    if not claim(asset.pk, runner):
        return "busy"
    if conf.hls_aes() and asset.hls_key is None and not asset.steps_done:
        asset.hls_key = os.urandom(16)
        asset.save(update_fields=["hls_key", "modified"])
        asset.refresh_from_db(fields=["hls_key"])
    Path(conf.work_dir()).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f"xueshi-media-{asset.pk.hex}-", dir=conf.work_dir()) as tmp:
        scratch = Path(tmp)
        try:
            source = local_source(asset, scratch)
            p = probe(source)
            steps = plan(p)
            for number, step in enumerate(steps):
                asset.refresh_from_db(fields=["steps_done", "renditions"])
                if step in asset.steps_done:
                    continue
                base, share = 100 * number / len(steps), 100 / len(steps)
                _set_progress(asset.pk, int(base))
                _do(
                    asset,
                    p,
                    step,
                    source,
                    scratch,
                    lambda f, b=base, s=share: _set_progress(asset.pk, int(b + s * f)),
                )
        except (NotAVideo, StepFailed, OSError) as exc:
            log.warning("transcoding asset %s failed: %s", asset.pk, exc)
            Asset.objects.filter(pk=asset.pk).update(state=Asset.FAILED, error=str(exc)[:2000])
            return Asset.FAILED
    Asset.objects.filter(pk=asset.pk).update(state=Asset.READY, progress=100, error="")
    return Asset.READY


def _do(asset: Asset, p: Probe, step: str, source: str, scratch: Path, report: Any) -> None:
    """One step, then its record in ``steps_done`` (renditions and captions with their metadata)."""
    updates: dict[str, Any] = {}
    if step.startswith("rendition:"):
        made = _rendition(asset, p, step.split(":", 1)[1], source, scratch, report)
        updates["renditions"] = [r for r in asset.renditions if r["name"] != made["name"]] + [made]
    elif step == "master":
        made_list = ladder.renditions(p.width, p.height, conf.ladder())
        target = scratch / "master.m3u8"
        target.write_text(ladder.master_playlist(made_list, p.has_audio), "utf-8")
        put(f"{asset.folder}/master.m3u8", target)
    elif step == "poster":
        _poster(asset, p, source, scratch, report)
    elif step == "thumbnails":
        _thumbnails(asset, p, source, scratch, report)
    elif step == "captions":
        updates["captions"] = _captions(asset, p, source, scratch, report)
    asset.steps_done = [*asset.steps_done, step]
    for name, value in updates.items():
        setattr(asset, name, value)
    asset.save(update_fields=["steps_done", *updates, "modified"])
