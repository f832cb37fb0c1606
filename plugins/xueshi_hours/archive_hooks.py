"""What other apps add to the learning archive (certificates, ...), without hours importing them.

The study spine points one way (ledger → hours → certificates, wave-2 map): certificates read
hours, so hours must not read certificates. An app that has something for the archive names a
function on its AppConfig, ``xueshi_archive_hook = "package.module.function"``, the way apps list
their menu entries and demo hooks (ADR 0090); the archive finds it through Django's app registry
(ADR 0115). The function is called as ``function(user_id, start, end)`` with the period's first and
last China day and returns mappings with the keys of ``ArchiveEntry``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.apps import apps
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)
HOOK = "xueshi_archive_hook"


@dataclass(frozen=True)
class ArchiveEntry:
    """One thing another app shows in the archive: a certificate with its links, say."""

    kind: str  # a short code, e.g. "certificate"
    title: str
    day: date | None
    url: str = ""  # the learner's (or staff's) own link, e.g. the PDF download
    public_url: str = ""  # a link anyone may open, e.g. the verification page
    detail: str = ""  # one short line, e.g. the serial and total
    ref: str = ""  # the app's own id, e.g. the serial


def _entry(raw: Mapping[str, Any]) -> ArchiveEntry:
    day = raw.get("day")
    return ArchiveEntry(
        kind=str(raw.get("kind", ""))[:40],
        title=str(raw.get("title", "")),
        day=day if isinstance(day, date) else None,
        url=str(raw.get("url", "") or ""),
        public_url=str(raw.get("public_url", "") or ""),
        detail=str(raw.get("detail", "") or ""),
        ref=str(raw.get("ref", "") or ""),
    )


def hooks() -> list[tuple[str, Any]]:
    """(app label, function) of every installed app that declares an archive hook."""
    found = []
    for config in apps.get_app_configs():
        path = getattr(config, HOOK, "")
        if path:
            found.append((config.label, import_string(path)))
    return found


def entries_for(user_id: int, start: date, end: date) -> tuple[list[ArchiveEntry], list[str]]:
    """Every app's entries for the learner and period (newest first per app), and the apps that failed.

    A failing hook is logged and named in the second list, so the page says that part is
    unavailable while the learner's own study records still show (never a 500 for the archive).
    """
    entries: list[ArchiveEntry] = []
    failed: list[str] = []
    for label, function in hooks():
        try:
            rows = [_entry(raw) for raw in function(user_id, start, end)]
        except Exception:
            log.exception("archive hook of %s failed for user %s", label, user_id)
            failed.append(label)
            continue
        entries.extend(sorted(rows, key=lambda e: e.day or date.min, reverse=True))
    return entries, failed
