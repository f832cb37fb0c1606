"""The video's ``public_view``: what a learner who has not enrolled (or paid) sees of it (试听).

Open edX renders a block's ``public_view`` instead of its ``student_view`` to learners who are not
enrolled in a run whose "Course Visibility For Unenrolled Learners" is ``public``
(``course_visibility``; ``XModuleMixin.public_view`` and ``SequenceBlock.public_view`` in
edx-platform). That is the platform's preview mechanism, so a paid course lets anyone watch the
units its author marks ``preview`` (需求 002: 试听) and nothing else. The preview is a plain HTML5
player: no playback session is opened, so nothing is credited (the ledger's handlers still ask
``may_study``, which needs an enrolment, and the enrolment filter still asks for payment).
"""

from __future__ import annotations

from html import escape
from typing import Any

from web_fragments.fragment import Fragment

#: Types a plain ``<video>`` plays without a script (HLS needs the full player's hls.js).
PLAIN_TYPES = ("video/mp4", "video/webm")


def public_fragment(block: Any) -> Fragment:
    """The preview player for a unit marked ``preview``; otherwise the "enrol to watch" notice."""
    title = escape(str(block.display_name))
    if not block.preview:
        notice = escape(block.ugettext("Enrol in the course to watch this video."))
        return Fragment(f'<div class="xueshi-video-public" data-preview="false"><p>{notice}</p></div>')
    media, _duration = block.resolved_media()
    playable = [m for m in media if m.get("type") in PLAIN_TYPES]
    note = escape(block.ugettext("Preview: watch freely. Study time is counted after you enrol."))
    if not playable:
        sorry = escape(block.ugettext("This preview cannot be played in your browser."))
        return Fragment(f'<div class="xueshi-video-public" data-preview="true"><p>{sorry}</p></div>')
    sources = "".join(f'<source src="{escape(m["url"])}" type="{escape(m["type"])}">' for m in playable)
    return Fragment(
        f'<div class="xueshi-video-public" data-preview="true"><h3>{title}</h3>'
        f'<p class="xueshi-preview-note">{note}</p>'
        f'<video controls preload="metadata" playsinline style="max-width:100%">{sources}</video></div>'
    )
