"""The video's ``public_view``: what a learner who has not enrolled (or paid) sees of it (试听).

Open edX renders a block's ``public_view`` instead of its ``student_view`` to learners who are not
enrolled in a run whose "Course Visibility For Unenrolled Learners" is ``public``
(``course_visibility``; ``XModuleMixin.public_view`` and ``SequenceBlock.public_view`` in
edx-platform). That is the platform's preview mechanism, so a paid course lets anyone watch the
units its author marks ``preview`` (需求 002: 试听) and nothing else.

No playback session is opened, so nothing is credited (the ledger's handlers still ask
``may_study``, which needs an enrolment, and the enrolment filter still asks for payment). A
library video (an uploaded HLS ladder) plays through a preview token the media app mints for this
block and this visitor (ADR 0325), with a small hls.js script (``public/js/dist/preview.js``), not
the study player; typed MP4/WebM sources play in the plain ``<video>`` as before.
"""

from __future__ import annotations

from html import escape
from typing import Any

from web_fragments.fragment import Fragment

#: Types a plain ``<video>`` plays without a script (HLS needs hls.js or a native HLS player).
PLAIN_TYPES = ("video/mp4", "video/webm")
PREVIEW_JS = "public/js/dist/preview.js"
#: The author's cap on a preview: 0 (none) or whole minutes from 1 to 24 hours, in seconds.
MAX_PREVIEW_SECONDS = 24 * 3600


def _session_key() -> str | None:
    """The visitor's Django session key, if the request of the moment has one (``crum``)."""
    from crum import get_current_request

    request = get_current_request()
    session = getattr(request, "session", None)
    return session.session_key if session is not None else None


def clean_preview_cap(values: dict[str, Any], library: str, translate: Any) -> tuple[int | None, str]:
    """The editor's ``preview_max_seconds`` checked: ``(seconds, "")`` or ``(None, message)``.

    The cap is enforced by the media app's preview token, so it needs a library video: a typed
    MP4/WebM URL would play whole whatever the field said, and an author must not believe otherwise.
    """
    raw = values["preview_max_seconds"]
    try:
        number = None if isinstance(raw, bool) else float(raw)
        seconds = int(number) if number is not None and number == int(number) else None
    except (TypeError, ValueError, OverflowError):
        seconds = None
    if seconds is None or not (seconds == 0 or 60 <= seconds <= MAX_PREVIEW_SECONDS):
        return None, translate("The preview length must be 0 (the whole video) or 1 to 1440 minutes.")
    if seconds and not library:
        return None, translate(
            "Only a video of the course's library can be cut: choose one, or set the preview length to 0."
        )
    return seconds, ""


def preview_grant(block: Any) -> Any:
    """The 试听 grant of the block's library video (``xueshi_media.api.Preview``), or ``None``.

    Its cap is the smaller of the operator's and the author's (``preview_max_seconds``), signed into
    the token so the server ends the playlist and the captions there (ADR 0329).
    """
    library = block.library_video()
    if library is None or not library.ready:
        return None
    from xueshi_media import api as media_api

    author_cap = max(0, int(block.preview_max_seconds or 0))
    return media_api.preview(
        library.asset_id, block.scope_ids.usage_id, _session_key(), library.duration, author_cap
    )


def preview_tracks(block: Any, grant: Any) -> list[dict[str, str]]:
    """Caption tracks of the preview: the author's when uncapped, else the library's (cut by the server).

    An author's tracks are plain URLs the media app cannot cut at the preview's end, so a capped
    preview shows the library's tracks only (served through the token, without the later cues).
    """
    from .render import LANGUAGE_LABELS

    capped = grant is not None and grant.limit
    if block.captions and not capped:
        tracks = [dict(c) for c in block.captions]
    else:
        tracks = [dict(c) for c in grant.captions] if grant is not None else []
    return [{**c, "label": LANGUAGE_LABELS.get(c["lang"].lower(), c["lang"])} for c in tracks]


def _note(block: Any, limit: int) -> str:
    if not limit:
        return block.ugettext("Preview: watch freely. Study time is counted after you enrol.")
    text = block.ugettext(
        "Preview: the first {minutes} minutes. Enrol to watch it all and have study time counted."
    )
    return text.format(minutes=max(1, round(limit / 60)))


def _media_html(sources: str, hls: str, poster: str, tracks: list[dict[str, str]]) -> str:
    attributes = (f' data-hls="{escape(hls)}"' if hls else "") + (
        f' poster="{escape(poster)}"' if poster else ""
    )
    captions = "".join(
        f'<track kind="captions" srclang="{escape(c["lang"])}" label="{escape(c["label"])}" '
        f'src="{escape(c["url"])}"{" default" if number == 0 else ""}>'
        for number, c in enumerate(tracks)
    )
    return (
        f'<video controls preload="metadata" playsinline style="max-width:100%"{attributes}>'
        f"{sources}{captions}</video>"
    )


def public_fragment(block: Any) -> Fragment:
    """The preview player for a unit marked ``preview``; otherwise the "enrol to watch" notice."""
    title = escape(str(block.display_name))
    if not block.preview:
        notice = escape(block.ugettext("Enrol in the course to watch this video."))
        return Fragment(f'<div class="xueshi-video-public" data-preview="false"><p>{notice}</p></div>')
    media, _duration = block.resolved_media()
    playable = [m for m in media if m.get("type") in PLAIN_TYPES]
    grant = preview_grant(block)
    hls = grant.hls_url if grant is not None else ""
    if not playable and not hls:
        sorry = escape(block.ugettext("This preview cannot be played in your browser."))
        return Fragment(f'<div class="xueshi-video-public" data-preview="true"><p>{sorry}</p></div>')
    library = block.library_video()
    limit = grant.limit if grant is not None and grant.limit < library.duration else 0
    if limit:  # a typed fallback would play past the cap (the ladder, cut by the server, plays alone)
        playable = []
    sources = "".join(f'<source src="{escape(m["url"])}" type="{escape(m["type"])}">' for m in playable)
    video = _media_html(sources, hls, grant.poster_url if grant else "", preview_tracks(block, grant))
    fragment = Fragment(
        f'<div class="xueshi-video-public" data-preview="true"><h3>{title}</h3>'
        f'<p class="xueshi-preview-note">{escape(_note(block, limit))}</p>{video}</div>'
    )
    if hls:
        fragment.add_javascript_url(block.runtime.local_resource_url(block, PREVIEW_JS))
        fragment.initialize_js("XueshiVideoPreview", {"hls": hls})
    return fragment
