"""Resumable uploads: the client sends chunks at the offset the server says it has (ADR 0260).

The protocol is tus's core idea without its extensions: create (``size`` declared up front, so a
huge file is refused before a byte is sent), ``PUT`` a chunk with ``Upload-Offset``, ``GET`` the
offset after a broken connection, ``finish``. A chunk at the wrong offset is refused with the
right one (409), so a chunk sent twice is never written twice. Writes happen under a row lock; a
process that died after writing but before committing leaves bytes past ``received``, which the
next chunk overwrites.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from xueshi_core.jsonbody import BadInput

from . import conf
from .models import Asset, Upload
from .probe import NotAVideo, check_complete, probe

READ_BLOCK = 1024 * 1024


def storage_name(upload: Upload) -> str:
    """Where the upload's bytes are kept (the transcoder's source, kept for re-transcoding)."""
    return f"{conf.storage_prefix()}/uploads/{upload.pk.hex}"


def _chunk_name(upload: Upload, offset: int) -> str:
    return f"{storage_name(upload)}.parts/{offset:016d}"


def start(user: Any, course_key: Any, filename: str, size: int) -> Upload:
    """A new upload of ``size`` bytes; ``BadInput`` (413) when larger than allowed."""
    if size <= 0:
        raise BadInput("empty", _("The file is empty."))
    if size > conf.max_upload_bytes():
        raise BadInput(
            "too_large",
            _("Files may have at most {size} bytes.").format(size=conf.max_upload_bytes()),
            status=413,
        )
    name = os.path.basename(filename.replace("\\", "/")).strip()[:255] or "video"
    return Upload.objects.create(course_key=course_key, created_by=user, filename=name, size=size)


def _local(name: str) -> Path | None:
    try:
        return Path(default_storage.path(name))
    except NotImplementedError:
        return None


def append(upload_id: Any, offset: int, stream: Any, length: int) -> int:
    """Write ``length`` bytes of ``stream`` at ``offset``; return the new offset."""
    if length <= 0 or length > conf.max_chunk_bytes():
        raise BadInput(
            "bad_chunk", _("A part has 1 to {size} bytes.").format(size=conf.max_chunk_bytes()), status=413
        )
    with transaction.atomic():
        upload = Upload.objects.select_for_update().get(pk=upload_id)
        if upload.state != Upload.OPEN:
            raise BadInput("closed", _("This upload is finished."), status=409)
        if offset != upload.received:
            raise BadInput("offset_mismatch", str(upload.received), status=409)
        if offset + length > upload.size:
            raise BadInput("too_long", _("More bytes than the declared size."), status=413)
        written = _write(upload, offset, stream, length)
        if written != length:
            raise BadInput("short_chunk", _("The part ended early; send it again."))
        upload.received = offset + length
        upload.save(update_fields=["received", "modified"])
        return upload.received


def _write(upload: Upload, offset: int, stream: Any, length: int) -> int:
    local = _local(storage_name(upload))
    if local is None:  # object storage: one object per chunk, joined at ``finish``
        data = stream.read(length)
        default_storage.save(_chunk_name(upload, offset), ContentFile(data))
        return len(data)
    local.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with local.open("r+b" if local.exists() else "wb") as handle:
        handle.seek(offset)
        handle.truncate()  # bytes a dead process wrote past ``received``
        while written < length:
            block = stream.read(min(READ_BLOCK, length - written))
            if not block:
                break
            handle.write(block)
            written += len(block)
    return written


def _join_chunks(upload: Upload) -> None:
    """Object storage: the chunks become one object (streamed; no chunk held in memory twice)."""
    parts = sorted(default_storage.listdir(f"{storage_name(upload)}.parts")[1])
    with tempfile.TemporaryFile() as joined:
        for part in parts:
            with default_storage.open(f"{storage_name(upload)}.parts/{part}", "rb") as chunk:
                joined.write(chunk.read())
        joined.seek(0)
        default_storage.save(storage_name(upload), File(joined))
    for part in parts:
        default_storage.delete(f"{storage_name(upload)}.parts/{part}")


def _open_and_complete(upload_id: Any, *, lock: bool) -> Upload:
    rows = Upload.objects.select_for_update() if lock else Upload.objects
    upload = rows.get(pk=upload_id)
    if upload.state != Upload.OPEN:
        raise BadInput("closed", _("This upload is finished."), status=409)
    if upload.received != upload.size:
        raise BadInput(
            "incomplete",
            _("{received} of {size} bytes received.").format(received=upload.received, size=upload.size),
            status=409,
        )
    return upload


def finish(upload_id: Any, title: str) -> Asset:
    """Check the complete file with ffprobe and make it a library asset (its job is queued by the caller).

    The check reads the whole file (minutes for a large one), so it runs outside any transaction;
    the row is locked again only to record the outcome, and a second ``finish`` meanwhile gets 409.
    """
    upload = _open_and_complete(upload_id, lock=False)
    name = storage_name(upload)
    if _local(name) is None and not default_storage.exists(name):
        _join_chunks(upload)
    local = _local(name)
    try:
        path = str(local) if local else default_storage.url(name)
        facts = probe(path)
        check_complete(path)
        failed = None
    except NotAVideo as exc:
        failed = exc
    with transaction.atomic():
        upload = _open_and_complete(upload_id, lock=True)
        if failed is None:
            upload.state = Upload.DONE
            upload.save(update_fields=["state", "modified"])
            return Asset.objects.create(
                course_key=upload.course_key,
                title=(title or upload.filename)[:255],
                created_by=upload.created_by,
                source_name=name,
                source_size=upload.size,
                duration=facts.duration,
                width=facts.width,
                height=facts.height,
            )
        upload.state, upload.error = Upload.FAILED, failed.code
        upload.save(update_fields=["state", "error", "modified"])
    default_storage.delete(name)
    messages = {
        "not_a_video": _("This file is not a video."),
        "no_duration": _("This video has no duration."),
        "truncated": _("This video is truncated or damaged; upload it again."),
        "unreadable": _("This file could not be read."),
    }
    raise BadInput(failed.code, messages.get(failed.code, failed.code), status=422)
