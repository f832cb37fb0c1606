"""Pure rules of the guarded video block: Studio validation, event sanitising, transcripts.

Nothing here imports XBlock, Django or the ledger, so the rules are unit-tested on their own
and the block's handlers stay thin. Messages are passed through the caller's ``gettext`` so the
editor shows them in the author's language (zh_CN or en).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlparse

Translate = Callable[[str], str]

#: Rates an author may allow; 1.0 is always in the set (a rate menu without 1× makes no sense).
RATE_CHOICES: tuple[float, ...] = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
SOURCE_EXTENSIONS = {
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".webm": "video/webm",
    ".m3u8": "application/x-mpegURL",
}
MAX_SOURCES = 5
MAX_CAPTIONS = 10
MAX_URL_LENGTH = 2048
MAX_TITLE_LENGTH = 255
MAX_DURATION_SECONDS = 24 * 3600
MAX_ANTI_IDLE_MINUTES = 240
MAX_WEIGHT = 100.0
LANG_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$")
VAL_ID_RE = re.compile(r"^[\w.:-]{1,100}$")
MEDIA_ASSET_RE = re.compile(r"^[0-9a-f]{32}$")  # an xueshi_media asset id (hex UUID)

#: Open edX video event names (``xmodule/js/src/video/09_events_plugin.js``) the player may emit.
EVENT_NAMES = frozenset(
    {
        "load_video",
        "play_video",
        "pause_video",
        "seek_video",
        "speed_change_video",
        "stop_video",
        "complete_video",
        "show_transcript",
        "hide_transcript",
        "edx.video.closed_captions.shown",
        "edx.video.closed_captions.hidden",
    }
)
_TIME_FIELDS = ("currentTime", "old_time", "new_time")
_SPEED_FIELDS = ("old_speed", "new_speed")
_SEEK_TYPES = frozenset(
    {"onSlideSeek", "onSkipSeek", "onKeySeek", "onTranscriptSeek", "onScriptSeek", "onResume"}
)


def source_type(url: str) -> str | None:
    """Return the MIME type a source URL's extension implies, or None when unsupported."""
    path = urlparse(url).path.lower()
    for extension, mime in SOURCE_EXTENSIONS.items():
        if path.endswith(extension):
            return mime
    return None


def _is_web_url(url: str, extensions: tuple[str, ...]) -> bool:
    """Accept absolute http(s) URLs and site-relative paths ending in one of ``extensions``.

    Anything else (``javascript:``, ``data:``, protocol-relative ``//host``) is refused so an
    author's typo can never become a script URL in a learner's page.
    """
    if not url or len(url) > MAX_URL_LENGTH or any(ch.isspace() for ch in url):
        return False
    parsed = urlparse(url)
    if parsed.scheme in ("http", "https"):
        ok = bool(parsed.netloc)
    else:
        ok = not parsed.scheme and not parsed.netloc and url.startswith("/") and not url.startswith("//")
    return ok and parsed.path.lower().endswith(extensions)


def _number(value: Any) -> float | None:
    """Read a finite number from JSON (numbers or numeric strings); None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str) and value.strip():
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _as_list(value: Any) -> list[Any] | None:
    """Lists stay lists; a newline-separated string (a textarea) becomes a list of lines."""
    if isinstance(value, list):
        return value
    if isinstance(value, str):
        return [line.strip() for line in value.splitlines() if line.strip()]
    return None


def _check_sources(value: Any, _: Translate) -> tuple[list[str] | None, str | None]:
    items = _as_list(value)
    if items is None or not all(isinstance(item, str) for item in items):
        return None, _("Sources must be a list of URLs.")
    items = [item.strip() for item in items if item.strip()]
    if len(items) > MAX_SOURCES:
        return None, _("Give at most 5 sources.")
    for item in items:
        if not _is_web_url(item, tuple(SOURCE_EXTENSIONS)):
            message = _(
                "Unsupported source {url}: use an http(s) or /-relative URL of an MP4, WebM or HLS file."
            )
            return None, message.format(url=item[:80])
    return items, None


def _check_captions(value: Any, _: Translate) -> tuple[list[dict[str, str]] | None, str | None]:
    if not isinstance(value, list):
        return None, _("Captions must be a list of language and URL pairs.")
    tracks: list[dict[str, str]] = []
    seen: set[str] = set()
    for item in value:
        if not isinstance(item, Mapping):
            return None, _("Captions must be a list of language and URL pairs.")
        lang = str(item.get("lang", "")).strip()
        url = str(item.get("url", "")).strip()
        if not lang and not url:
            continue  # an empty editor row
        if not LANG_RE.match(lang):
            return None, _("Caption language {lang} is not a language code such as zh-cn or en.").format(
                lang=lang[:20] or "''"
            )
        if lang.lower() in seen:
            return None, _("Caption language {lang} is given twice.").format(lang=lang)
        if not _is_web_url(url, (".vtt",)):
            return None, _(
                "Caption URL for {lang} must be an http(s) or /-relative URL of a WebVTT (.vtt) file."
            ).format(lang=lang)
        seen.add(lang.lower())
        tracks.append({"lang": lang, "url": url})
    if len(tracks) > MAX_CAPTIONS:
        return None, _("Give at most 10 caption languages.")
    return tracks, None


def _check_range(value: Any, low: float, high: float, message: str) -> tuple[float | None, str | None]:
    number = _number(value)
    if number is None or not low <= number <= high:
        return None, message
    return number, None


def _check_rates(value: Any, _: Translate) -> tuple[list[float] | None, str | None]:
    message = _("Allowed rates must be chosen from 0.5, 0.75, 1.0, 1.25, 1.5 and 2.0, and include 1.0.")
    if not isinstance(value, list) or not value:
        return None, message
    rates = [_number(v) for v in value]
    if any(rate not in RATE_CHOICES for rate in rates) or 1.0 not in rates:
        return None, message
    return sorted({float(rate) for rate in rates if rate is not None}), None


def validate_edits(data: Mapping[str, Any], _: Translate) -> tuple[dict[str, Any], dict[str, str]]:
    """Check an editor submission; return ``(clean values, {field: message})``.

    Only fields present in ``data`` are checked and returned, so the editor may save a subset.
    Cross-field rule: a video needs at least one source or an edx-val id.
    """
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}

    def take(field: str, result: tuple[Any, str | None]) -> None:
        value, error = result
        if error:
            errors[field] = error
        else:
            clean[field] = value

    if "display_name" in data:
        title = data["display_name"]
        if not isinstance(title, str) or not title.strip() or len(title) > MAX_TITLE_LENGTH:
            errors["display_name"] = _("Give the video a title of 1 to 255 characters.")
        else:
            clean["display_name"] = title.strip()
    if "sources" in data:
        take("sources", _check_sources(data["sources"], _))
    if "edx_video_id" in data:
        val_id = data["edx_video_id"]
        if not isinstance(val_id, str) or (val_id.strip() and not VAL_ID_RE.match(val_id.strip())):
            errors["edx_video_id"] = _(
                "The video ID may contain only letters, digits and . _ : - (at most 100)."
            )
        else:
            clean["edx_video_id"] = val_id.strip()
    if "media_asset" in data:
        asset = data["media_asset"]
        text = asset.replace("-", "").strip().lower() if isinstance(asset, str) else None
        if text is None or (text and not MEDIA_ASSET_RE.match(text)):
            errors["media_asset"] = _("Choose a video of the course's library.")
        else:
            clean["media_asset"] = text
    if "duration" in data:
        take(
            "duration",
            _check_range(
                data["duration"],
                0.001,
                MAX_DURATION_SECONDS,
                _("Duration must be a number of seconds greater than 0 (at most 24 hours)."),
            ),
        )
    if "captions" in data:
        take("captions", _check_captions(data["captions"], _))
    if "completion_coverage" in data:
        take(
            "completion_coverage",
            _check_range(
                data["completion_coverage"],
                0.5,
                1.0,
                _("Coverage needed for completion must be between 50% and 100%."),
            ),
        )
    if "allowed_rates" in data:
        take("allowed_rates", _check_rates(data["allowed_rates"], _))
    if "anti_idle_minutes" in data:
        minutes, error = _check_range(data["anti_idle_minutes"], 0, MAX_ANTI_IDLE_MINUTES, "")
        if error is not None or minutes is None or 0 < minutes < 1:
            errors["anti_idle_minutes"] = _("The anti-idle interval must be 0 (off) or 1 to 240 minutes.")
        else:
            clean["anti_idle_minutes"] = minutes
    if "weight" in data:
        take(
            "weight", _check_range(data["weight"], 0, MAX_WEIGHT, _("Weight must be a number from 0 to 100."))
        )
    for flag in ("free_seek_after_complete", "transcript_download", "preview"):
        if flag in data:
            if isinstance(data[flag], bool):
                clean[flag] = data[flag]
            else:
                errors[flag] = _("Choose yes or no.")
    if (
        "sources" in clean
        and "edx_video_id" in clean
        and not clean["sources"]
        and not clean["edx_video_id"]
        and not clean.get("media_asset")
    ):
        errors["sources"] = _("Give at least one video URL or a video ID.")
    return clean, errors


def sanitize_event(name: Any, data: Any, duration: float, block_id: str) -> dict[str, Any]:
    """Keep only known, bounded fields of a browser-sent video event.

    The browser is untrusted: names outside Open edX's video vocabulary are refused, times are
    clamped to the video, speeds to a sane range, and ``id``/``code`` are set by the server.

    Raises:
        ValueError: the name is not a whitelisted event or ``data`` is not an object.
    """
    if not isinstance(name, str) or name not in EVENT_NAMES:
        raise ValueError("unknown event")
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise ValueError("event data must be an object")
    limit = duration if duration > 0 else MAX_DURATION_SECONDS
    out: dict[str, Any] = {"id": block_id, "code": "hls" if data.get("code") == "hls" else "html5"}
    for field in _TIME_FIELDS:
        number = _number(data.get(field))
        if number is not None:
            out[field] = round(min(max(number, 0.0), limit), 3)
    for field in _SPEED_FIELDS:
        number = _number(data.get(field))
        if number is not None:
            out[field] = f"{min(max(number, 0.0), 16.0):.2f}"
    if data.get("type") in _SEEK_TYPES:
        out["type"] = data["type"]
    if duration > 0:
        out["duration"] = round(duration, 3)
    return out


_TIMING_RE = re.compile(r"^\s*(\d{1,2}:)?\d{2}:\d{2}[.,]\d{3}\s+-->\s+")
_TAG_RE = re.compile(r"<[^>]+>")


def vtt_to_text(vtt: str) -> str:
    """Turn WebVTT into a plain-text transcript: cue text only, one cue per line.

    Drops the header, NOTE/STYLE/REGION blocks, cue identifiers, timings and inline tags.
    """
    lines_out: list[str] = []
    for block in re.split(r"\r?\n\s*\r?\n", vtt.replace("\ufeff", "")):
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines or lines[0].startswith(("WEBVTT", "NOTE", "STYLE", "REGION")):
            continue
        timing = next((i for i, line in enumerate(lines) if _TIMING_RE.match(line)), None)
        if timing is None:
            continue
        text = " ".join(_TAG_RE.sub("", line).strip() for line in lines[timing + 1 :])
        if text and (not lines_out or lines_out[-1] != text):
            lines_out.append(text)
    return "\n".join(lines_out) + ("\n" if lines_out else "")


def sjson_to_text(sjson: str) -> str:
    """Turn edx-val's SJSON (``{"start": [ms], "end": [ms], "text": [cue]}``) into one cue per line."""
    try:
        cues = json.loads(sjson).get("text") or []
    except (ValueError, AttributeError):
        return ""
    lines_out: list[str] = []
    for cue in cues:
        text = " ".join(_TAG_RE.sub("", str(cue)).split())
        if text and (not lines_out or lines_out[-1] != text):
            lines_out.append(text)
    return "\n".join(lines_out) + ("\n" if lines_out else "")


def completion_for(coverage: float, required: float, completed: bool) -> float:
    """Completion to publish: 1.0 once the server says completed, else progress towards the threshold."""
    if completed:
        return 1.0
    if required <= 0:
        return 0.0
    return round(min(max(coverage / required, 0.0), 0.99), 4)
