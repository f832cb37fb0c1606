"""A durable local queue for records the database would not take (append-only JSON lines on disk).

When an audit row cannot be inserted, dropping it would break the audit trail and raising would
lock people out; so the record is appended to ``<XUESHI_SPOOL_DIR>/<kind>.jsonl`` (flushed and
fsync'd under an exclusive lock) and a beat task replays it later (ADR 0062). Draining first
renames the file, so records appended meanwhile wait for the next run; a run that dies leaves its
``.draining`` file (named by time, so files drain in order), which the next run takes up first,
so nothing is lost. A record may then be offered twice: writers must be idempotent.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings

log = logging.getLogger(__name__)
_KIND_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_")


def directory() -> Path:
    """Where spooled records live (``XUESHI_SPOOL_DIR``; a per-host temp folder by default)."""
    configured = str(getattr(settings, "XUESHI_SPOOL_DIR", "") or "")
    return Path(configured or os.path.join(tempfile.gettempdir(), "xueshi-spool"))


def _kind(kind: str) -> str:
    if not kind or not set(kind) <= _KIND_CHARS:
        raise ValueError(f"bad spool kind {kind!r}")
    return kind


def append(kind: str, record: dict[str, Any]) -> None:
    """Append one record durably; raises ``OSError`` when even the disk refuses."""
    folder = directory()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{_kind(kind)}.jsonl"
    line = json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=str) + "\n"
    while True:
        with open(path, "a", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            if not _same_file(handle, path):
                continue  # drained (renamed) while we waited for the lock: append to the new file
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())
            return


def _same_file(handle: Any, path: Path) -> bool:
    try:
        return os.fstat(handle.fileno()).st_ino == os.stat(path).st_ino
    except FileNotFoundError:
        return False


def _take_live_file(kind: str) -> None:
    """Rename the live file for draining, under the writers' lock (no append is cut in half)."""
    live = directory() / f"{kind}.jsonl"
    try:
        handle = open(live, "a", encoding="utf-8")  # noqa: SIM115  (closed below, after the rename)
    except FileNotFoundError:
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        if _same_file(handle, live) and os.fstat(handle.fileno()).st_size:
            live.rename(live.with_name(f"{kind}.{time.time_ns():020d}{uuid.uuid4().hex[:8]}.draining"))


def _files(kind: str) -> list[Path]:
    folder = directory()
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{_kind(kind)}.*.draining")) + sorted(folder.glob(f"{kind}.jsonl"))


def pending(kind: str) -> int:
    """How many records of ``kind`` wait to be replayed."""
    total = 0
    for path in _files(kind):
        with open(path, encoding="utf-8") as handle:
            total += sum(1 for line in handle if line.strip())
    return total


def drain(kind: str, write: Callable[[dict[str, Any]], None]) -> int:
    """Offer every spooled record of ``kind`` to ``write`` (oldest first); return how many were written.

    When ``write`` raises, the records not yet written stay spooled and the error propagates. One
    drain runs at a time per kind and host (another one returns 0 at once).
    """
    folder = directory()
    if not (folder / f"{_kind(kind)}.jsonl").exists() and not _files(kind):
        return 0
    with open(folder / f"{kind}.lock", "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return 0
        _take_live_file(kind)
        written = 0
        for path in sorted(folder.glob(f"{kind}.*.draining")):
            lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
            for index, line in enumerate(lines):
                try:
                    write(json.loads(line))
                except Exception:
                    path.write_text("".join(rest + "\n" for rest in lines[index:]), encoding="utf-8")
                    raise
                written += 1
            path.unlink()
        return written


def kinds() -> dict[str, int]:
    """Every kind with records waiting, and how many (the status page's view)."""
    folder = directory()
    if not folder.is_dir():
        return {}
    suffixes = (".jsonl", ".draining")
    names = {path.name.split(".", 1)[0] for path in folder.iterdir() if path.suffix in suffixes}
    return {name: pending(name) for name in sorted(names) if set(name) <= _KIND_CHARS}
