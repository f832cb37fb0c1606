"""Pure rules of the live block: the schedule an author types, and the ledger policy of a live session.

No XBlock, Django or ledger imports, so they are unit-tested on their own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

Translate = Callable[[str], str]
CHINA = timezone(timedelta(hours=8))
STREAM_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
#: How long a lesson may run past its scheduled end and still be credited while on air.
OVERRUN_SECONDS = 3600
MAX_LENGTH_SECONDS = 12 * 3600


def epoch(text: str) -> float | None:
    """Epoch seconds of an ISO time; a time without an offset is China time (what authors type)."""
    try:
        moment = datetime.fromisoformat(str(text))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CHINA)
    return moment.timestamp()


def china_text(seconds: float) -> str:
    """``YYYY-MM-DDTHH:MM`` in China time (the editor's ``datetime-local`` value)."""
    return datetime.fromtimestamp(seconds, tz=CHINA).strftime("%Y-%m-%dT%H:%M")


def validate(values: dict[str, Any], _: Translate) -> tuple[dict[str, Any], dict[str, str]]:
    """Clean the editor's values; per-field errors in the author's language."""
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    title = str(values.get("display_name", "")).strip()
    if not 0 < len(title) <= 255:
        errors["display_name"] = _("Give the lesson a title (at most 255 characters).")
    clean["display_name"] = title
    stream = str(values.get("stream_name", "")).strip()
    if not STREAM_RE.match(stream):
        errors["stream_name"] = _("Use 1 to 64 letters, digits, '_' or '-'.")
    clean["stream_name"] = stream
    starts, ends = epoch(values.get("starts_at", "")), epoch(values.get("ends_at", ""))
    if starts is None:
        errors["starts_at"] = _("Enter the start time.")
    if ends is None or (starts is not None and not 0 < ends - starts <= MAX_LENGTH_SECONDS):
        errors["ends_at"] = _("The end must be after the start, within 12 hours.")
    if starts is not None and ends is not None:
        clean["starts_at"], clean["ends_at"] = china_text(starts), china_text(ends)
    for name, low, high in (("attendance_required", 0.1, 1.0), ("anti_idle_minutes", 0.0, 240.0)):
        try:
            number = float(values.get(name, 0))
        except (TypeError, ValueError):
            number = -1.0
        if not low <= number <= high:
            errors[name] = _("Enter a number from {low} to {high}.").format(low=low, high=high)
        clean[name] = number
    asset = str(values.get("media_asset", "") or "")
    if asset and not re.match(r"^[0-9a-f]{32}$", asset):
        errors["media_asset"] = _("Choose a video of the course's library.")
    clean["media_asset"] = asset
    return clean, errors


def live_length(origin: float, ends: float) -> float:
    """The ledger's ``duration`` of a live session: from the first push to the end plus the overrun."""
    return max(60.0, ends + OVERRUN_SECONDS - origin)


def completion(attended: float, aired: float, required: float) -> float:
    """Completion in [0, 1]: attended share of the on-air time, against the share the author requires."""
    if aired <= 0:
        return 0.0
    return min(1.0, attended / (aired * max(required, 0.01)))
