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


def _session_key() -> str | None:
    """The visitor's Django session key, if the request of the moment has one (``crum``)."""
    from crum import get_current_request

    request = get_current_request()
    session = getattr(request, "session", None)
    return session.session_key if session is not None else None


def preview_hls(block: Any) -> tuple[str, int]:
    """The 试听 URL of the block's library video and its limit in seconds (0 = whole), or ``("", 0)``."""
    library = block.library_video()
    if library is None or not library.ready:
        return "", 0
    from xueshi_media import api as media_api

    url = media_api.preview_url(library.asset_id, block.scope_ids.usage_id, _session_key(), library.duration)
    limit = media_api.preview_limit_seconds()
    return url, (limit if limit and limit < library.duration else 0)


def public_fragment(block: Any) -> Fragment:
    """The preview player for a unit marked ``preview``; otherwise the "enrol to watch" notice."""
    title = escape(str(block.display_name))
    if not block.preview:
        notice = escape(block.ugettext("Enrol in the course to watch this video."))
        return Fragment(f'<div class="xueshi-video-public" data-preview="false"><p>{notice}</p></div>')
    media, _duration = block.resolved_media()
    playable = [m for m in media if m.get("type") in PLAIN_TYPES]
    hls, limit = preview_hls(block)
    if not playable and not hls:
        sorry = escape(block.ugettext("This preview cannot be played in your browser."))
        return Fragment(f'<div class="xueshi-video-public" data-preview="true"><p>{sorry}</p></div>')
    note = escape(block.ugettext("Preview: watch freely. Study time is counted after you enrol."))
    if limit:
        text = block.ugettext(
            "Preview: the first {minutes} minutes. Enrol to watch it all and have study time counted."
        )
        note = escape(text.format(minutes=max(1, round(limit / 60))))
    sources = "".join(f'<source src="{escape(m["url"])}" type="{escape(m["type"])}">' for m in playable)
    data = f' data-hls="{escape(hls)}"' if hls else ""
    fragment = Fragment(
        f'<div class="xueshi-video-public" data-preview="true"><h3>{title}</h3>'
        f'<p class="xueshi-preview-note">{note}</p>'
        f'<video controls preload="metadata" playsinline style="max-width:100%"{data}>{sources}</video></div>'
    )
    if hls:
        fragment.add_javascript_url(block.runtime.local_resource_url(block, PREVIEW_JS))
        fragment.initialize_js("XueshiVideoPreview", {"hls": hls})
    return fragment
